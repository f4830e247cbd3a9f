/**
 * The SM-DP+ simulator and the card's ES10b download, through the IPA's download flow over real
 * HTTP (ES9+ ASN.1 binding): a TS.48 profile really bound, deciphered and installed, and each
 * refusal of either side with its SGP.22 code, nothing installed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticateClientResponseEsipa,
  decode,
  encode,
  parseCertificate,
  RSPDefinitions,
  type BoundProfilePackage,
  type DeviceInfo,
  type ProfileInstallationResult,
} from '@esim/asn1';
import { Euicc } from '../../src/sgp32/euicc/euicc.js';
import { factoryProfiles } from '../../src/sgp32/euicc/profiles.js';
import { publicKeyFromCertificate, verifyPlain } from '../../src/sgp32/euicc/signing.js';
import { initialEuiccState } from '../../src/sgp32/euicc/state.js';
import { iccidWithCheckDigit } from '../../src/sgp32/pki/iccid.js';
import { downloadProfile, parseActivationCode } from '../../src/sgp32/ipa/download.js';
import { Es9PlusClient } from '../../src/sgp32/ipa/es9plus-client.js';
import type { RspServer } from '../../src/sgp32/ipa/rsp-server.js';
import { loadOrCreateFleetPki, loadOrCreateSmdpPki } from '../../src/sgp32/pki/fleet-pki.js';
import { loadSgp26Credentials, sgp26Dir } from '../../src/sgp32/pki/sgp26.js';
import { loadProfilesDir } from '../../src/sgp32/smdpplus/profile-store.js';
import { startSmdpServer, type SmdpServer } from '../../src/sgp32/smdpplus/smdp-server.js';
import { startSimCli } from './support/sim-cli.js';

const TS48_ICCID = '89000123456789012341';
const MATCHING_ID = 'TS48_V7.0_eSIM_GTP_SAIP2.3_NoBERTLV';
const credentials = loadSgp26Credentials();
const deviceInfo: DeviceInfo = {
  tac: new Uint8Array([0x35, 0x29, 0x06, 0x11]),
  deviceCapabilities: { eutranEpcSupportedRelease: new Uint8Array([15, 0, 0]) },
};

let server: SmdpServer;
let client: Es9PlusClient;
let euicc: Euicc;

beforeAll(async () => {
  server = await startSmdpServer();
  client = new Es9PlusClient(server.smdp.address, { scheme: 'http' });
});
afterAll(async () => {
  client.close();
  await server.close();
});
beforeEach(() => {
  euicc = new Euicc(credentials, initialEuiccState(credentials.eid, factoryProfiles(0)));
});

const code = (matchingId = MATCHING_ID) => parseActivationCode(server.smdp.activationCode(matchingId))!;
const flip = (b: Uint8Array, at = 0) => {
  const copy = new Uint8Array(b);
  copy[at]! ^= 0x01;
  return copy;
};
/** The SM-DP+ behind the client, one answer altered on the way to the card. */
function tampered(overrides: Partial<RspServer>): RspServer {
  return {
    initiateAuthentication: (r) => client.initiateAuthentication(r),
    authenticateClient: (r) => client.authenticateClient(r),
    getBoundProfilePackage: (r) => client.getBoundProfilePackage(r),
    cancelSession: (r) => client.cancelSession(r),
    handleNotification: (r) => client.handleNotification(r),
    ...overrides,
  };
}
const withBpp = (change: (bpp: BoundProfilePackage) => BoundProfilePackage) =>
  tampered({
    getBoundProfilePackage: async (r) => {
      const res = await client.getBoundProfilePackage(r);
      const ok = res.getBoundProfilePackageOkEsipa!;
      return {
        getBoundProfilePackageOkEsipa: { ...ok, boundProfilePackage: change(ok.boundProfilePackage) },
      };
    },
  });
const installed = () => euicc.state.profiles.filter((p) => p.iccid === TS48_ICCID);

function pirSignatureValid(pir: ProfileInstallationResult): boolean {
  const data = encode(RSPDefinitions.ProfileInstallationResultData, pir.profileInstallationResultData);
  return verifyPlain(publicKeyFromCertificate(credentials.euiccCertificate), data, pir.euiccSignPIR);
}

describe('profile download from the SM-DP+ simulator', () => {
  it('offers each TS.48 package under its file name, with the ICCID of its header', () => {
    expect(loadProfilesDir().map((p) => [p.matchingId, p.iccid])).toContainEqual([MATCHING_ID, TS48_ICCID]);
  });

  it('binds, deciphers and installs the profile Disabled, with a signed result in the notification list', async () => {
    const result = await downloadProfile(euicc, client, code(), deviceInfo);
    const pir = result.profileInstallationResult!;
    expect(pir.profileInstallationResultData.finalResult.successResult).toBeDefined();
    expect(pirSignatureValid(pir)).toBe(true);
    expect(installed()).toMatchObject([
      { state: 'disabled', profileClass: 'operational', notificationAddress: server.smdp.address },
    ]);
    expect(installed()[0]!.profileName).toBe('GSMA Generic eUICC Test Profile');
    const seq = pir.profileInstallationResultData.notificationMetadata.seqNumber;
    expect(euicc.pendingNotifications()).toContainEqual({
      seqNumber: seq,
      notification: { profileInstallationResult: pir },
    });
    expect(server.smdp.downloads.at(-1)).toMatchObject({ eid: credentials.eid, iccid: TS48_ICCID });
    expect(server.smdp.notifications.length).toBeGreaterThan(0);
  });

  it('a second download of the same ICCID fails storeMetadata with iccidAlreadyExists, installing nothing more', async () => {
    await downloadProfile(euicc, client, code(), deviceInfo);
    const again = await downloadProfile(euicc, client, code(), deviceInfo);
    expect(again.profileInstallationResult!.profileInstallationResultData.finalResult.errorResult).toEqual({
      bppCommandId: 2,
      errorReason: 9,
    });
    expect(installed()).toHaveLength(1);
  });

  it('an unknown matching ID is refused by the SM-DP+ (matchingIdRefused)', async () => {
    const result = await downloadProfile(euicc, client, code('NO-SUCH-PROFILE'), deviceInfo);
    const error = decode(AuthenticateClientResponseEsipa, result.profileDownloadError!.errorResponse!);
    expect(error).toEqual({ authenticateClientErrorEsipa: 6 });
    expect(installed()).toHaveLength(0);
  });

  it.each([
    ['an EUM of an unknown CI', 'EUM', 'CERT_EUM_ECDSA_NIST_UNKNOWN_CI.der', 9],
    ['a self-signed EUM (its CI is not ours)', 'EUM', 'CERT_EUM_ECDSA_NIST_INVALID.der', 9],
    ['an EUM certificate whose signature does not verify', 'EUM', 'forged', 1],
    ['an eUICC certificate outside the EUM EID range', 'eUICC', 'CERT_EUICC_ECDSA_NIST_INVALID_EID.der', 3],
    ['a self-signed eUICC certificate', 'eUICC', 'CERT_EUICC_ECDSA_NIST_INVALID.der', 3],
    [
      'an EUM certificate past its notAfter (eumCertificateExpired)',
      'EUM',
      'CERT_EUM_ECDSA_NIST_EXPIRED.der',
      2,
    ],
    [
      'an eUICC certificate past its notAfter (euiccCertificateExpired)',
      'eUICC',
      'CERT_EUICC_ECDSA_NIST_EXPIRED.der',
      4,
    ],
  ] as const)('the SM-DP+ refuses %s; the session goes no further', async (_, which, file, expected) => {
    const bad =
      file === 'forged'
        ? flip(credentials.eumCertificate, credentials.eumCertificate.length - 1)
        : new Uint8Array(readFileSync(join(sgp26Dir(), 'InvalidTestCases', file)));
    const bound = server.smdp.downloads.length;
    let transactionId: Uint8Array | undefined;
    const result = await downloadProfile(
      euicc,
      tampered({
        authenticateClient: (r) => {
          transactionId = r.transactionId;
          const ok = r.authenticateServerResponse.authenticateResponseOk!;
          const certs = which === 'EUM' ? { eumCertificate: bad } : { euiccCertificate: bad };
          return client.authenticateClient({
            ...r,
            authenticateServerResponse: { authenticateResponseOk: { ...ok, ...certs } },
          });
        },
      }),
      code(),
      deviceInfo,
    );
    expect(decode(AuthenticateClientResponseEsipa, result.profileDownloadError!.errorResponse!)).toEqual({
      authenticateClientErrorEsipa: expected,
    });
    // The session was not authenticated: no BPP for it, nothing bound, nothing installed.
    const bpp = await client.getBoundProfilePackage({
      transactionId: transactionId!,
      prepareDownloadResponse: {
        downloadResponseError: { transactionId: transactionId!, downloadErrorCode: 127 },
      },
    });
    expect(bpp).toEqual({ getBoundProfilePackageErrorEsipa: 95 });
    expect(server.smdp.downloads).toHaveLength(bound);
    expect(installed()).toHaveLength(0);
  });

  it('CancelSession ends the session (a later step: invalidTransactionId); an unknown one: invalidTransactionId', async () => {
    const ok = (
      await client.initiateAuthentication({
        euiccChallenge: euicc.download.getEuiccChallenge(),
        smdpAddress: server.smdp.address,
        euiccInfo1: euicc.download.getEuiccInfo1(),
      })
    ).initiateAuthenticationOkEsipa!;
    const cancel = (transactionId: Uint8Array) =>
      client.cancelSession({ transactionId, cancelSessionResponse: { cancelSessionResponseError: 127 } });
    expect(await cancel(ok.transactionId!)).toEqual({ cancelSessionOk: {} });
    expect(await cancel(ok.transactionId!)).toEqual({ cancelSessionError: 1 });
    const authenticateServerResponse = euicc.download.authenticateServer({
      serverSigned1: ok.serverSigned1,
      serverSignature1: ok.serverSignature1,
      euiccCiPKIdToBeUsed: ok.euiccCiPKIdentifierToBeUsed,
      serverCertificate: ok.serverCertificate,
      ctxParams1: { ctxParamsForCommonAuthentication: { matchingId: MATCHING_ID, deviceInfo } },
    });
    expect(
      await client.authenticateClient({ transactionId: ok.transactionId!, authenticateServerResponse }),
    ).toEqual({
      authenticateClientErrorEsipa: 10,
    });
  });

  it('the SM-DP+ refuses a forged euiccSignature1 (euiccSignatureInvalid)', async () => {
    const server2 = tampered({
      authenticateClient: (r) => {
        const ok = r.authenticateServerResponse.authenticateResponseOk!;
        return client.authenticateClient({
          ...r,
          authenticateServerResponse: {
            authenticateResponseOk: { ...ok, euiccSignature1: flip(ok.euiccSignature1) },
          },
        });
      },
    });
    const result = await downloadProfile(euicc, server2, code(), deviceInfo);
    expect(decode(AuthenticateClientResponseEsipa, result.profileDownloadError!.errorResponse!)).toEqual({
      authenticateClientErrorEsipa: 5,
    });
  });
});

describe('the card refuses, with the SGP.22 code, and installs nothing', () => {
  const authError = async (change: Parameters<typeof tampered>[0]['initiateAuthentication']) => {
    const result = await downloadProfile(
      euicc,
      tampered({ initiateAuthentication: change }),
      code(),
      deviceInfo,
    );
    const error = decode(
      RSPDefinitions.AuthenticateServerResponse,
      result.profileDownloadError!.errorResponse!,
    );
    return error.authenticateResponseError?.authenticateErrorCode;
  };

  it('a serverSignature1 that does not verify: invalidSignature(2)', async () => {
    expect(
      await authError(async (r) => {
        const ok = (await client.initiateAuthentication(r)).initiateAuthenticationOkEsipa!;
        return { initiateAuthenticationOkEsipa: { ...ok, serverSignature1: flip(ok.serverSignature1) } };
      }),
    ).toBe(2);
    expect(installed()).toHaveLength(0);
  });

  it('another challenge than the card gave: euiccChallengeMismatch(6)', async () => {
    expect(
      await authError((r) => client.initiateAuthentication({ ...r, euiccChallenge: flip(r.euiccChallenge) })),
    ).toBe(6);
  });

  it('a CI the card does not know: ciPKUnknown(7); a DPauth certificate of another CI: invalidCertificate(1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smdpp-pki-'));
    try {
      const other = await loadOrCreateSmdpPki(dir);
      expect(
        await authError(async (r) => {
          const ok = (await client.initiateAuthentication(r)).initiateAuthenticationOkEsipa!;
          return { initiateAuthenticationOkEsipa: { ...ok, euiccCiPKIdentifierToBeUsed: other.ciPkId } };
        }),
      ).toBe(7);
      expect(
        await authError(async (r) => {
          const ok = (await client.initiateAuthentication(r)).initiateAuthenticationOkEsipa!;
          return { initiateAuthenticationOkEsipa: { ...ok, serverCertificate: other.authCertificate } };
        }),
      ).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an smdpSignature2 that does not verify: PrepareDownload invalidSignature(2)', async () => {
    const result = await downloadProfile(
      euicc,
      tampered({
        authenticateClient: async (r) => {
          const ok = (await client.authenticateClient(r)).authenticateClientOkDPEsipa!;
          return { authenticateClientOkDPEsipa: { ...ok, smdpSignature2: flip(ok.smdpSignature2) } };
        },
      }),
      code(),
      deviceInfo,
    );
    const error = decode(RSPDefinitions.PrepareDownloadResponse, result.profileDownloadError!.errorResponse!);
    expect(error.downloadResponseError?.downloadErrorCode).toBe(2);
    expect(installed()).toHaveLength(0);
  });

  describe('an SM-DP+ certificate outside its validity period by the card clock: invalidCertificate(1)', () => {
    const sgp26 = (path: string) =>
      parseCertificate(readFileSync(join(sgp26Dir(), path))).tbsCertificate.validity;
    const dpauth = sgp26('DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der');
    const dppb = sgp26('DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der');
    const second = 1000;
    let now: Date;
    const card = () =>
      new Euicc(credentials, initialEuiccState(credentials.eid, factoryProfiles(0)), { clock: () => now });

    it.each([
      ['before CERT.DPauth notBefore', new Date(dpauth.notBefore.getTime().getTime() - second)],
      ['after CERT.DPauth notAfter', new Date(dpauth.notAfter.getTime().getTime() + second)],
    ])('AuthenticateServer %s', async (_, at) => {
      now = at;
      euicc = card();
      const bound = server.smdp.downloads.length;
      const result = await downloadProfile(euicc, client, code(), deviceInfo);
      const error = decode(
        RSPDefinitions.AuthenticateServerResponse,
        result.profileDownloadError!.errorResponse!,
      );
      expect(error.authenticateResponseError?.authenticateErrorCode).toBe(1);
      expect(server.smdp.downloads).toHaveLength(bound);
      expect(installed()).toHaveLength(0);
    });

    it('PrepareDownload, the clock moved past CERT.DPpb notAfter after AuthenticateServer', async () => {
      now = new Date(dppb.notAfter.getTime().getTime() - 3600 * second);
      expect(now > dpauth.notBefore.getTime() && now < dpauth.notAfter.getTime()).toBe(true);
      euicc = card();
      const bound = server.smdp.downloads.length;
      const result = await downloadProfile(
        euicc,
        tampered({
          authenticateClient: async (r) => {
            const answer = await client.authenticateClient(r);
            now = new Date(dppb.notAfter.getTime().getTime() + second);
            return answer;
          },
        }),
        code(),
        deviceInfo,
      );
      const error = decode(
        RSPDefinitions.PrepareDownloadResponse,
        result.profileDownloadError!.errorResponse!,
      );
      expect(error.downloadResponseError?.downloadErrorCode).toBe(1);
      expect(server.smdp.downloads).toHaveLength(bound);
      expect(installed()).toHaveLength(0);
    });

    it('the same download in the last second of both validity periods installs the profile', async () => {
      const lastValid = Math.min(dpauth.notAfter.getTime().getTime(), dppb.notAfter.getTime().getTime());
      now = new Date(lastValid - second);
      euicc = card();
      const result = await downloadProfile(euicc, client, code(), deviceInfo);
      expect(
        result.profileInstallationResult!.profileInstallationResultData.finalResult.successResult,
      ).toBeDefined();
      expect(installed()).toHaveLength(1);
    });
  });

  it('AuthenticateServer before GetEUICCChallenge: noSessionContext(4)', async () => {
    const ok = (
      await client.initiateAuthentication({
        euiccChallenge: new Uint8Array(16),
        smdpAddress: server.smdp.address,
        euiccInfo1: euicc.download.getEuiccInfo1(),
      })
    ).initiateAuthenticationOkEsipa!;
    const answer = euicc.download.authenticateServer({
      serverSigned1: ok.serverSigned1,
      serverSignature1: ok.serverSignature1,
      euiccCiPKIdToBeUsed: ok.euiccCiPKIdentifierToBeUsed,
      serverCertificate: ok.serverCertificate,
      ctxParams1: { ctxParamsForCommonAuthentication: { deviceInfo } },
    });
    expect(answer.authenticateResponseError?.authenticateErrorCode).toBe(4);
  });

  it('a BPP after a reboot, or loaded a second time: the session is gone (invalidTransactionId)', async () => {
    let bpp: BoundProfilePackage | undefined;
    const capture = tampered({
      getBoundProfilePackage: async (r) => {
        bpp = (await client.getBoundProfilePackage(r)).getBoundProfilePackageOkEsipa!.boundProfilePackage;
        return { getBoundProfilePackageErrorEsipa: 127 };
      },
    });
    await downloadProfile(euicc, capture, code(), deviceInfo);
    const noSession = { bppCommandId: 0, errorReason: 3 };
    const rebooted = new Euicc(credentials, euicc.snapshot());
    expect(rebooted.download.loadBoundProfilePackage(bpp!).profileInstallationResultData.finalResult).toEqual(
      {
        errorResult: noSession,
      },
    );
    expect(rebooted.state.profiles.some((p) => p.iccid === TS48_ICCID)).toBe(false);
    // Without the reboot the BPP installs once; the same BPP again finds no session.
    const first = euicc.download.loadBoundProfilePackage(bpp!);
    expect(first.profileInstallationResultData.finalResult.successResult).toBeDefined();
    const again = euicc.download.loadBoundProfilePackage(bpp!);
    expect(again.profileInstallationResultData.finalResult).toEqual({ errorResult: noSession });
    expect(installed()).toHaveLength(1);
  });

  it.each([
    [
      'a profile segment with a bad MAC',
      5,
      8,
      (b: BoundProfilePackage) => ({
        ...b,
        sequenceOf86: b.sequenceOf86.map((s, i) => (i === 3 ? flip(s, 40) : s)),
      }),
    ],
    [
      'a metadata TLV with a bad MAC',
      2,
      8,
      (b: BoundProfilePackage) => ({ ...b, sequenceOf88: [flip(b.sequenceOf88[0]!, 10)] }),
    ],
    [
      'an smdpSign that does not verify',
      0,
      2,
      (b: BoundProfilePackage) => ({
        ...b,
        initialiseSecureChannelRequest: {
          ...b.initialiseSecureChannelRequest,
          smdpSign: flip(b.initialiseSecureChannelRequest.smdpSign),
        },
      }),
    ],
  ])(
    '%s: a signed errorResult (bppCommandId %i, errorReason %i)',
    async (_, bppCommandId, errorReason, change) => {
      const result = await downloadProfile(euicc, withBpp(change), code(), deviceInfo);
      const pir = result.profileInstallationResult!;
      expect(pir.profileInstallationResultData.finalResult.errorResult).toEqual({
        bppCommandId,
        errorReason,
      });
      expect(pirSignatureValid(pir)).toBe(true);
      expect(installed()).toHaveLength(0);
    },
  );
});

describe('a generated fleet and its SM-DP+', () => {
  it('a fleet eUICC downloads from the SM-DP+ whose DPauth/DPpb the fleet CI issued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smdpp-fleet-'));
    const fleetServer = await startSmdpServer({ credentials: await loadOrCreateSmdpPki(dir) });
    const fleetClient = new Es9PlusClient(fleetServer.smdp.address, { scheme: 'http' });
    try {
      const [device] = (await loadOrCreateFleetPki(dir, 1)).devices;
      const card = new Euicc(device!, initialEuiccState(device!.eid));
      const code = parseActivationCode(fleetServer.smdp.activationCode(MATCHING_ID))!;
      const pir = (await downloadProfile(card, fleetClient, code, deviceInfo)).profileInstallationResult!;
      expect(pir.profileInstallationResultData.finalResult.successResult).toBeDefined();
      expect(pir.profileInstallationResultData.smdpOid).toBe('2.999.10');
      expect(card.state.profiles.map((p) => p.iccid)).toEqual([TS48_ICCID]);
    } finally {
      fleetClient.close();
      await fleetServer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('unique ICCIDs', () => {
  it('each card of a fleet gets its own ICCID for one matching ID, the same one each time, in header and metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smdpp-unique-'));
    const fleetServer = await startSmdpServer({
      credentials: await loadOrCreateSmdpPki(dir),
      uniqueIccids: true,
    });
    const fleetClient = new Es9PlusClient(fleetServer.smdp.address, { scheme: 'http' });
    try {
      const code = parseActivationCode(fleetServer.smdp.activationCode(MATCHING_ID))!;
      const installedIccids: string[] = [];
      const { devices } = await loadOrCreateFleetPki(dir, 2);
      for (const device of devices) {
        const card = new Euicc(device, initialEuiccState(device.eid));
        const result = await downloadProfile(card, fleetClient, code, deviceInfo);
        // The card checks the ProfileHeader's ICCID against the metadata before installing.
        expect(
          result.profileInstallationResult!.profileInstallationResultData.finalResult.successResult,
        ).toBeDefined();
        installedIccids.push(...card.state.profiles.map((p) => p.iccid));
      }
      expect(installedIccids).toHaveLength(2);
      expect(new Set(installedIccids).size).toBe(2);
      for (const iccid of installedIccids) {
        expect(iccid).toMatch(/^8900012\d{13}$/);
        expect(iccidWithCheckDigit(iccid.slice(0, 19))).toBe(iccid);
      }
      expect(fleetServer.smdp.downloads.map((d) => d.iccid)).toEqual(installedIccids);
      const again = new Euicc(devices[0]!, initialEuiccState(devices[0]!.eid));
      await downloadProfile(again, fleetClient, code, deviceInfo);
      expect(again.state.profiles.map((p) => p.iccid)).toEqual([installedIccids[0]]);
      expect(fleetServer.smdp.listProfiles().find((p) => p.matchingId === MATCHING_ID)!.iccid).toBe(
        TS48_ICCID,
      );
    } finally {
      fleetClient.close();
      await fleetServer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('esimctl sim smdpp', () => {
  it('serves the profiles it prints, with their activation codes', async () => {
    const run = startSimCli('smdpp', ['--port', '0', '--address', 'smdpp.test.example']);
    try {
      const [, url] = (await run.waitFor(
        /ES9\+ (http:\/\/\S+)\/gsma\/rsp2\/asn1, address smdpp\.test\.example;/,
      ))!;
      expect(run.output()).toContain(`1$smdpp.test.example$${MATCHING_ID}  ICCID ${TS48_ICCID}`);
      const view = (await (await fetch(`${url}/sim/smdpp`)).json()) as { profiles: { matchingId: string }[] };
      expect(view.profiles.map((p) => p.matchingId)).toContain(MATCHING_ID);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  }, 60_000);

  it('a profiles folder that is missing or holds no profile package: one line, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smdpp-bad-'));
    writeFileSync(join(dir, 'broken.der'), Buffer.from([0x30, 0x00]));
    try {
      const runs = [
        startSimCli('smdpp', ['--profiles', join(dir, 'nope')]),
        startSimCli('smdpp', ['--profiles', dir]),
      ];
      expect(await Promise.all(runs.map((r) => r.exited))).toEqual([2, 2]);
      expect(runs[0]!.output()).toMatch(/esimctl sim smdpp: .*ENOENT|no such file/);
      expect(runs[1]!.output()).toMatch(/esimctl sim smdpp: .*broken\.der: .*ProfileHeader/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
