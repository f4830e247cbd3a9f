import { define, type AnySchema } from '../schema/index.js';

/** Names a type of SGP.22 v2.5 RSPDefinitions {2 23 146 1 1 sgp22v2(2)}. */
export const rsp = <S extends AnySchema>(name: string, s: S): S => define('RSPDefinitions', name, s);
