import type { AppModule } from './app-module.js';
import { sgp02Module } from '../sgp02/module.js';
import { sgp32Module } from '../sgp32/sgp32-module.js';
import { coreModule } from './core-module.js';

/** The product's features in start order: stacks first, so that the operation worker finds their adapters. */
export const appModules: readonly AppModule[] = [sgp02Module, sgp32Module, coreModule];
