import type { AppModule } from './app-module.js';
import { coreModule } from './core-module.js';

/** The product's features in start order: stacks first, so that the operation worker finds their adapters. */
export const appModules: readonly AppModule[] = [coreModule];
