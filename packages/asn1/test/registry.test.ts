/** Plain names are the SGP.32 types; both modules stay reachable by qualified name, in code and by lookup. */
import { describe, expect, it } from 'vitest';
import * as A from '../src/index.js';
import { listTypes, lookupType, RSPDefinitions, schema, SGP32Definitions } from '../src/index.js';

const CLASHES = Object.keys(SGP32Definitions).filter(
  (k) => k in RSPDefinitions && schema.isSchema((SGP32Definitions as Record<string, unknown>)[k]),
);

describe('names', () => {
  it('has exactly the 20 SGP.32 / SGP.22 name clashes of the modules', () => {
    expect(CLASHES.sort()).toEqual(
      [
        'AuthenticateClientRequest',
        'AuthenticateResponseOk',
        'AuthenticateServerResponse',
        'CancelSessionOk',
        'CancelSessionResponse',
        'EUICCInfo2',
        'EuiccMemoryResetRequest',
        'EuiccMemoryResetResponse',
        'EuiccSigned1',
        'PendingNotification',
        'PrepareDownloadResponse',
        'ProfileInfo',
        'ProfileInfoListError',
        'ProfileInfoListResponse',
        'ProfileInstallationResult',
        'RetrieveNotificationsListRequest',
        'RetrieveNotificationsListResponse',
        'SetDefaultDpAddressRequest',
        'SetDefaultDpAddressResponse',
        'StoreMetadataRequest',
      ].sort(),
    );
  });

  it.each(CLASHES)('%s: the top-level export and the plain lookup are the SGP.32 type', (name) => {
    const top = (A as Record<string, unknown>)[name];
    expect(top).toBe((SGP32Definitions as Record<string, unknown>)[name]);
    expect(top).not.toBe((RSPDefinitions as Record<string, unknown>)[name]);
    expect(lookupType(name)?.schema).toBe(top);
    expect(lookupType(`SGP32Definitions.${name}`)?.schema).toBe(top);
    expect(lookupType(`SGP32-${name}`)?.schema).toBe(top);
    expect(lookupType(`RSPDefinitions.${name}`)?.schema).toBe(
      (RSPDefinitions as Record<string, unknown>)[name],
    );
  });

  it('exports every non-clashing RSP type at the top level', () => {
    for (const [name, v] of Object.entries(RSPDefinitions)) {
      if (!schema.isSchema(v) || CLASHES.includes(name)) continue;
      expect((A as Record<string, unknown>)[name]).toBe(v);
    }
  });

  it('keeps v1.0.1 types out of plain names', () => {
    expect(lookupType('GetEimPackageRequest')?.module).toBe('SGP32Definitions');
    expect(lookupType('SGP32v10Definitions.GetEimPackageRequest')?.schema).toBe(
      A.SGP32v10Definitions.GetEimPackageRequest,
    );
    expect(lookupType('EnableUsingDDRequest')).toBeUndefined();
    expect(listTypes().every((t) => t.schema.typeName === t.name)).toBe(true);
  });

  it('exposes named numbers and bits for code', () => {
    expect(A.GetEimPackageResponse).toBeDefined();
    expect(A.EimIdType.values.eimIdTypeFqdn).toBe(2);
    expect(A.EimSupportedProtocol.bits.eimRetrieveHttps).toBe(0);
    expect(A.EuiccPackageErrorCode.values.replayError).toBe(4);
  });
});
