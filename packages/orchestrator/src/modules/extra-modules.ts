import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config/schema.js';
import type { AppModule } from './app-module.js';

/**
 * The modules named by EXTRA_MODULES: ES modules exporting `module` (an AppModule). They start
 * before the built-in ones, like stacks, so the worker serves their adapters: a third-party stack,
 * or a test peer reached over the network.
 */
export async function loadExtraModules(config: Config): Promise<AppModule[]> {
  const paths = (config.EXTRA_MODULES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const loaded: AppModule[] = [];
  for (const path of paths) {
    const m = (await import(pathToFileURL(resolve(path)).href)) as { module?: AppModule };
    if (!m.module || typeof m.module.start !== 'function' || typeof m.module.name !== 'string')
      throw new Error(`EXTRA_MODULES: ${path} does not export \`module\` (an AppModule with name and start)`);
    loaded.push(m.module);
  }
  return loaded;
}
