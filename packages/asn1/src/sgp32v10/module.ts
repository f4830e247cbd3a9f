import { define, type AnySchema } from '../schema/index.js';

/**
 * Names a type of the SGP.32 v1.0.1 module. Its ASN.1 module name is also SGP32Definitions; we
 * qualify it as SGP32v10Definitions so both versions can be looked up side by side.
 */
export const sgp32v10 = <S extends AnySchema>(name: string, s: S): S =>
  define('SGP32v10Definitions', name, s);
