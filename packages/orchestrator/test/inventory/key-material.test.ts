import { describe, expect, it } from 'vitest';
import { findKeyMaterial } from '../../src/inventory/key-material.js';

describe('key material detection', () => {
  it.each([
    [{ ki: '00' }, '/ki'],
    [{ Ki: '00' }, '/Ki'],
    [{ OPc: '00' }, '/OPc'],
    [{ op: '00' }, '/op'],
    [{ K: '00' }, '/K'],
    [{ a: { b: [{ KIC1: '00' }] } }, '/a/b/0/KIC1'],
    [{ 'private-key': 'x' }, '/private-key'],
    [{ privateKey: 'x' }, '/privateKey'],
    [{ auth: { password: 'x' } }, '/auth/password'],
    [{ note: '-----BEGIN EC PRIVATE KEY-----\nMHc' }, '/note'],
    [{ note: '-----BEGIN ENCRYPTED PRIVATE KEY-----' }, '/note'],
  ])('finds %j at %s', (value, path) => {
    expect(findKeyMaterial(value)).toBe(path);
  });

  it.each([
    [{ iccid: '8944500000000000001', operator: 'op-a', kind: 'smsr' }],
    [{ keyId: 'k-1', kidney: 'no', skin: 'x' }],
    [{ cert: '-----BEGIN CERTIFICATE-----\nMIIB' }],
    [{ tags: ['ki', 'opc'] }],
  ])('lets %j through', (value) => {
    expect(findKeyMaterial(value)).toBeUndefined();
  });
});
