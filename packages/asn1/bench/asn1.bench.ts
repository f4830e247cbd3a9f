/**
 * The eIM's hot path: a GetEimPackageResponse carrying a signed EuiccPackageRequest with three
 * PSMOs, encoded and decoded (schema-checked, with derOf bookkeeping), next to a bare
 * asn1js.fromBER of the same bytes (untyped parse, no validation) as the baseline.
 */
import * as asn1js from 'asn1js';
import { defineBench } from '../../../bench/harness.js';
import { decode, encode, GetEimPackageResponse, type ValueOf } from '../src/index.js';

const h = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

const value: ValueOf<typeof GetEimPackageResponse> = {
  euiccPackageRequest: {
    euiccPackageSigned: {
      eimId: '1.3.6.1.4.1.53775.1.5.1.1',
      eidValue: h('89049032123451234512345678901235'),
      counterValue: 4711,
      eimTransactionId: h('000000000000049B'),
      euiccPackage: {
        psmoList: [
          { disable: { iccid: h('98001032547698103214') } },
          { enable: { iccid: h('98001032547698103224'), rollbackFlag: null } },
          { listProfileInfo: { searchCriteria: { profileClass: 2 }, tagList: h('5A9F70') } },
        ],
      },
    },
    eimSignature: new Uint8Array(64).fill(0xa5),
  },
};

const bytes = encode(GetEimPackageResponse, value);

export default defineBench({
  name: `asn1: GetEimPackageResponse (signed EuiccPackageRequest, 3 PSMOs, ${bytes.length} B) encode+decode`,
  unit: 'message',
  baseline: {
    name: 'asn1js.fromBER (untyped parse only)',
    fn: () => {
      if (asn1js.fromBER(bytes).offset === -1) throw new Error('asn1js failed');
    },
  },
  subjects: [
    {
      name: '@esim/asn1 decode + encode',
      fn: () => encode(GetEimPackageResponse, decode(GetEimPackageResponse, bytes)),
    },
    { name: '@esim/asn1 decode', fn: () => decode(GetEimPackageResponse, bytes) },
    { name: '@esim/asn1 encode', fn: () => encode(GetEimPackageResponse, value) },
  ],
});
