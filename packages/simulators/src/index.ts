export * as sgp32 from './sgp32/index.js';
