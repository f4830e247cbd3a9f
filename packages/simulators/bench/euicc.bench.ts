/**
 * Signed eUICC packages executed per second by the eUICC model (decode of the request included:
 * verify eimSignature, check EID and counter, run the PSMOs, sign the result and notifications),
 * next to a bare ECDSA P-256 verify + sign pair, the floor of one package; and an idle poll cycle
 * next to a bare HTTP POST. Together they tell how many devices one simulator process can serve.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decode,
  encode,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  EuiccPackageRequest,
  EuiccPackageSigned,
  type EuiccPackage,
} from '@esim/asn1';
import { defineBench } from '../../../bench/harness.js';
import { HttpEsipaClient } from '../src/sgp32/ipa/esipa-client.js';
import { Ipa } from '../src/sgp32/ipa/ipa.js';
import { Euicc } from '../src/sgp32/euicc/euicc.js';
import { factoryProfiles } from '../src/sgp32/euicc/profiles.js';
import { initialEuiccState } from '../src/sgp32/euicc/state.js';
import { iccidToBytes } from '../src/sgp32/pki/iccid.js';
import { loadSgp26Credentials } from '../src/sgp32/pki/sgp26.js';

const POOL = 2000;
const credentials = loadSgp26Credentials();
const eimKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const eimId = 'bench.eim.example';
const [P1, , P3] = factoryProfiles(0).map((p) => iccidToBytes(p.iccid));

function newEuicc(): Euicc {
  const euicc = new Euicc(credentials, initialEuiccState(credentials.eid, factoryProfiles(0)));
  euicc.addInitialEim({
    eimConfigurationDataList: [
      {
        eimId,
        counterValue: 0,
        associationToken: 0,
        eimPublicKeyData: {
          eimPublicKey: new Uint8Array(eimKeys.publicKey.export({ format: 'der', type: 'spki' })),
        },
      },
    ],
  });
  return euicc;
}

/** Wire bytes of packages with counters 1..POOL, signed once, outside the measurement. */
function signedPool(euiccPackage: (i: number) => EuiccPackage): Uint8Array[] {
  return Array.from({ length: POOL }, (_, i) => {
    const signed: EuiccPackageSigned = {
      eimId,
      eidValue: new Uint8Array(Buffer.from(credentials.eid, 'hex')),
      counterValue: i + 1,
      eimTransactionId: new Uint8Array([i >> 8, i & 0xff]),
      euiccPackage: euiccPackage(i),
    };
    const eimSignature = sign('sha256', encode(EuiccPackageSigned, signed), {
      key: eimKeys.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return encode(EuiccPackageRequest, { euiccPackageSigned: signed, eimSignature });
  });
}

/** Runs the pool round and round; at the wrap the eIM's counter on the card starts over. */
function runner(pool: Uint8Array[]) {
  const euicc = newEuicc();
  let next = 0;
  return () => {
    if (next === pool.length) {
      next = 0;
      euicc.state.eims[0]!.counterValue = 0;
    }
    const result = euicc.loadEuiccPackage(decode(EuiccPackageRequest, pool[next++]!));
    if (!result.euiccPackageResultSigned) throw new Error('package refused');
    // The eIM acknowledges everything: the card's lists stay short, as in the field.
    euicc.state.pending = [];
  };
}

const listPool = signedPool(() => ({ psmoList: [{ listProfileInfo: {} }] }));
const switchPool = signedPool((i) => ({ psmoList: [{ enable: { iccid: i % 2 === 0 ? P3! : P1! } }] }));
const listPackage = runner(listPool);
const switchPackage = runner(switchPool);

const data = listPool[0]!;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });

const cardCase = defineBench({
  name: 'simulators: signed eUICC packages executed by the eUICC model',
  unit: 'package',
  baseline: {
    name: 'bare ECDSA P-256 verify + sign (node:crypto)',
    fn: () => {
      if (!verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature))
        throw new Error('verify');
      sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    },
  },
  subjects: [
    { name: 'listProfileInfo package (1 verify, 1 sign)', fn: listPackage },
    { name: 'enable package, profile switch (1 verify, 3 signs)', fn: switchPackage },
  ],
});

/**
 * An idle poll cycle of one IPA (GetEimPackageRequest encoded, sent over keep-alive HTTP, the
 * noEimPackageAvailable answer decoded) next to a bare keep-alive POST of the same bytes to the
 * same 127.0.0.1 server: what the simulator adds per poll.
 */
let server: Server;
let agent: Agent;
let url: string;
let idleIpa: Ipa;
const IDLE_ANSWER = encode(EsipaMessageFromEimToIpa, { getEimPackageResponse: { eimPackageError: 1 } });
const POLL = encode(EsipaMessageFromIpaToEim, {
  getEimPackageRequest: { eidValue: new Uint8Array(Buffer.from(credentials.eid, 'hex')) },
});

function barePost(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(POLL);
  });
}

const pollCase = defineBench({
  name: 'simulators: idle IPA poll cycle over ESipa HTTP (127.0.0.1)',
  unit: 'poll',
  async setup() {
    server = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () =>
        res.writeHead(200, { 'Content-Type': 'application/x-gsma-rsp-asn1' }).end(IDLE_ANSWER),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gsma/rsp2/asn1`;
    agent = new Agent({ keepAlive: true });
    idleIpa = new Ipa(newEuicc(), { client: new HttpEsipaClient(url) });
  },
  async teardown() {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  },
  baseline: { name: 'bare keep-alive POST of the same bytes (node:http)', fn: barePost },
  subjects: [{ name: 'Ipa.pollOnce (encode, POST, decode)', fn: () => idleIpa.pollOnce() }],
});

export default [cardCase, pollCase];
