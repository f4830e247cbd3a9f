import { define, type AnySchema } from '../schema/index.js';

/**
 * Names a type of SGP.32 v1.2 SGP32Definitions {2 23 146 1 1 sgp32v1(31)}, under its name in
 * the specification (the `SGP32-` prefix of the Osmocom copy is not part of it).
 */
export const sgp32 = <S extends AnySchema>(name: string, s: S): S => define('SGP32Definitions', name, s);
