import type { Command } from 'commander';
import { ipaCommand } from './sgp32/ipa-command.js';
import { smdppCommand } from './sgp32/smdpp-command.js';
import { smdpCommand } from './sgp02/smdp-command.js';
import { smsrCommand } from './sgp02/smsr-command.js';

export interface SimCommand {
  register(program: Command): void;
}

/** One entry per simulator (`esimctl sim smsr`, `esimctl sim ipa`, ...). */
export const simCommands: readonly SimCommand[] = [smsrCommand, smdpCommand, ipaCommand, smdppCommand];
