/** The logic behind `esimctl asn1`, with a fake file system. */
import { describe, expect, it } from 'vitest';
import { Asn1DecodeError, Asn1EncodeError, cli } from '../src/index.js';

const files: Record<string, Uint8Array> = {
  'bin.der': Uint8Array.from([0xbf, 0x4f, 0x03, 0x02, 0x01, 0x01]),
  'text.hex': new TextEncoder().encode('BF4F 0302\n0101\n'),
  'value.json': new TextEncoder().encode('{"eimPackageError": "noEimPackageAvailable"}'),
};
const io: cli.CliIo = {
  readFile: (p) => {
    const f = files[p];
    if (!f) throw new Error('ENOENT: no such file');
    return f;
  },
  readStdin: () => new TextEncoder().encode('v08DAgEB'),
};

describe('esimctl asn1', () => {
  it('reads hex, base64, prefixed, @file (binary or text) and stdin', () => {
    const expected = 'BF4F03020101';
    for (const input of [
      'BF4F03020101',
      'bf:4f:03:02:01:01',
      'v08DAgEB',
      'hex:BF4F03020101',
      'base64:v08DAgEB',
      '@bin.der',
      '@text.hex',
      '-',
    ])
      expect(Buffer.from(cli.parseBinaryInput(input, io)).toString('hex').toUpperCase()).toBe(expected);
    expect(() => cli.parseBinaryInput('@missing', io)).toThrow(/cannot read missing/);
    expect(() => cli.parseBinaryInput('not*hex', io)).toThrow(cli.Asn1CliError);
  });

  it('decodes to JSON and encodes the same JSON back', () => {
    const r = cli.decodeCommand('GetEimPackageResponse', '@bin.der', { io });
    expect(JSON.parse(r.json)).toEqual({ eimPackageError: 1 });
    expect(r.notes).toEqual([]);
    expect(cli.encodeCommand('GetEimPackageResponse', r.json, { io })).toBe('BF4F03020101');
    expect(cli.encodeCommand('GetEimPackageResponse', '@value.json', { io })).toBe('BF4F03020101');
    expect(cli.decodeCommand('GetEimPackageResponse', 'BF4F03020101', { compact: true }).json).toBe(
      '{"eimPackageError":1}',
    );
  });

  it('reports lenient readings and unknown extensions as notes', () => {
    const r = cli.decodeCommand('RSPDefinitions.ListNotificationRequest', 'BF280481020480');
    expect(r.notes[0]).toMatch(
      /^warning: ListNotificationRequest.profileManagementOperation: named BIT STRING/,
    );
    expect(() =>
      cli.decodeCommand('RSPDefinitions.ListNotificationRequest', 'BF280481020480', { strict: true }),
    ).toThrow(Asn1DecodeError);
    expect(cli.decodeCommand('GetEimPackageResponse', 'BF4F049F600100').notes[0]).toMatch(
      /1 unknown extension/,
    );
  });

  it('resolves plain, qualified and SGP32- names and suggests on a typo', () => {
    expect(cli.resolveType('EUICCInfo2').qualifiedName).toBe('SGP32Definitions.EUICCInfo2');
    expect(cli.resolveType('RSPDefinitions.EUICCInfo2').qualifiedName).toBe('RSPDefinitions.EUICCInfo2');
    expect(cli.resolveType('SGP32-EUICCInfo2').qualifiedName).toBe('SGP32Definitions.EUICCInfo2');
    expect(() => cli.resolveType('EuiccInfo2')).toThrow(/did you mean SGP32Definitions.EUICCInfo2/);
  });

  it('fails with typed one-line errors', () => {
    expect(() => cli.decodeCommand('GetEimPackageResponse', 'BF4F06BF4F03020101')).toThrow(
      /directly inside \[79\]/,
    );
    expect(() => cli.encodeCommand('GetEimPackageResponse', '{"nope": 1}')).toThrow(Asn1EncodeError);
    expect(() => cli.encodeCommand('GetEimPackageResponse', '{oops')).toThrow(/not valid JSON/);
  });

  it('lists types, qualified, marking plain names', () => {
    const lines = cli.typesCommand().split('\n');
    expect(lines).toContain('SGP32Definitions.EUICCInfo2  (plain: EUICCInfo2)');
    expect(lines).toContain('RSPDefinitions.EUICCInfo2');
    expect(lines).toContain('SGP32v10Definitions.GetEimPackageRequest');
    expect(lines.length).toBeGreaterThan(300);
    expect(cli.typesCommand('esipamessage').split('\n')).toHaveLength(4);
  });
});
