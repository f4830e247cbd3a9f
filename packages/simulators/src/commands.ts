import type { Command } from 'commander';

export interface SimCommand {
  register(program: Command): void;
}

/** One entry per simulator (`esimctl sim smsr`, `esimctl sim ipa`, ...). */
export const simCommands: readonly SimCommand[] = [];
