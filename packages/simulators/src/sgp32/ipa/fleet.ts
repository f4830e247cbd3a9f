/**
 * N simulated devices in one process: one eUICC and one IPA each, sharing a concurrency limit on
 * the exchanges with the eIM. Device 0 of a single-device run without a PKI folder is the SGP.26
 * test eUICC; otherwise the identities come from the generated chain in the PKI folder.
 */
import type { EimConfigurationData } from '@esim/asn1';
import { Euicc } from '../euicc/euicc.js';
import { configurationOf } from '../euicc/eim-configuration.js';
import { factoryProfiles } from '../euicc/profiles.js';
import { initialEuiccState } from '../euicc/state.js';
import { loadEuiccState, saveEuiccState } from '../euicc/state-file.js';
import type { EuiccCredentials } from '../pki/credentials.js';
import { loadOrCreateFleetPki } from '../pki/fleet-pki.js';
import { loadSgp26Credentials } from '../pki/sgp26.js';
import { CoapEsipaClient } from './esipa-coap-client.js';
import { HttpEsipaClient, type EsipaClient } from './esipa-client.js';
import { JsonEsipaClient } from './esipa-json-client.js';
import { MqttEsipaClient } from './esipa-mqtt-client.js';
import type { Faults } from './faults.js';
import { Ipa, type IpaStats } from './ipa.js';
import { Limiter } from './limiter.js';

export interface FleetOptions {
  eimUrl: string;
  count: number;
  intervalMs: number;
  jitterMs: number;
  /** Required for more than one device; without it a single device is the SGP.26 test eUICC. */
  pkiDir?: string;
  concurrency?: number;
  /** Notifications travel with package results (ePRAndNotifications). */
  bundleNotifications?: boolean;
  /** Where each card's state is kept across simulator restarts (none: in memory only). */
  stateDir?: string;
  /** How the devices reach the eIM (default HTTP); `eimUrl` is coap:// or mqtt:// accordingly. */
  transport?: EsipaTransport;
  /** The ESipa HTTP binding: ASN.1 (default) or JSON. */
  binding?: 'asn1' | 'json';
  /** MQTT protocol version of the mqtt transport: 5 (default) or 4 (3.1.1). */
  mqttVersion?: 4 | 5;
  /** PEM CA certificates for an https eIM URL. */
  eimCa?: string;
  /** How profile download triggers run: through the eIM (default) or directly with the SM-DP+. */
  download?: 'direct' | 'indirect';
  /** Scheme of direct ES9+ calls (default https). */
  smdpScheme?: 'http' | 'https';
  /** AddInitialEim data every device is onboarded with. */
  eims?: EimConfigurationData[];
  faults?: Partial<Faults>;
  onError?: (eid: string, error: Error) => void;
}

export type EsipaTransport = 'http' | 'coap' | 'mqtt';

/** The one client the devices of a fleet share. */
function esipaClient(o: FleetOptions): EsipaClient {
  switch (o.transport ?? 'http') {
    case 'coap':
      return new CoapEsipaClient(o.eimUrl);
    case 'mqtt':
      return new MqttEsipaClient(o.eimUrl, o.mqttVersion ? { protocolVersion: o.mqttVersion } : {});
    case 'http': {
      const clientOptions = o.eimCa ? { ca: o.eimCa } : {};
      return o.binding === 'json'
        ? new JsonEsipaClient(o.eimUrl, clientOptions)
        : new HttpEsipaClient(o.eimUrl, clientOptions);
    }
  }
}

export interface DeviceDescription {
  eid: string;
  imei: string;
  profiles: {
    iccid: string;
    state: string;
    fallbackAttribute: boolean;
    profileClass: string;
    serviceProviderName: string;
  }[];
  eims: { eimId: string; eimFqdn?: string; counterValue: number; associationToken?: number }[];
  pendingNotifications: number;
  pendingPackageResults: number;
  downloadTriggers: unknown[];
  faults: Faults;
  stats: IpaStats;
}

export class UnknownDeviceError extends Error {
  constructor(eid: string) {
    super(`no simulated device with EID ${eid}`);
  }
}

export class Fleet {
  private reboots: NodeJS.Timeout | undefined;

  private constructor(
    readonly devices: Ipa[],
    readonly ciCertificate: Uint8Array,
    private readonly client: EsipaClient,
    private readonly save?: (ipa: Ipa) => void,
  ) {}

  /** Writes the cards whose state changed (a no-op without a state folder). */
  persist(devices: Ipa[] = this.devices): void {
    if (this.save) for (const d of devices) this.save(d);
  }

  static async create(options: FleetOptions): Promise<Fleet> {
    if (!Number.isInteger(options.count) || options.count < 1) {
      throw new RangeError(`device count must be a positive integer, got ${options.count}`);
    }
    if (options.count > 1 && !options.pkiDir) throw new RangeError('more than one device needs a PKI folder');
    let credentials: EuiccCredentials[];
    let ciCertificate: Uint8Array;
    if (options.pkiDir) {
      const pki = await loadOrCreateFleetPki(options.pkiDir, options.count);
      credentials = pki.devices;
      ciCertificate = pki.ciCertificate;
    } else {
      credentials = [loadSgp26Credentials()];
      ciCertificate = credentials[0]!.ciCertificate;
    }
    const limiter = new Limiter(options.concurrency ?? 16);
    const client = esipaClient(options);
    const { stateDir } = options;
    const saved = new Map<string, string>();
    const persist = stateDir
      ? (ipa: Ipa) => {
          const json = JSON.stringify(ipa.euicc.state);
          if (saved.get(ipa.eid) === json) return;
          saveEuiccState(stateDir, ipa.euicc.state);
          saved.set(ipa.eid, json);
        }
      : undefined;
    let devices: Ipa[];
    try {
      devices = credentials.map((c, i) => {
        const kept = stateDir ? loadEuiccState(stateDir, c.eid) : undefined;
        if (kept) saved.set(c.eid, JSON.stringify(kept));
        const euicc = new Euicc(c, kept ?? initialEuiccState(c.eid, factoryProfiles(i)));
        // A card that kept its state was onboarded before: AddInitialEim again would be refused.
        if (!kept && options.eims?.length) {
          const onboarding = euicc.addInitialEim({ eimConfigurationDataList: options.eims });
          if (onboarding.addInitialEimError !== undefined) {
            throw new RangeError(
              `AddInitialEim refused the eIM configuration: error ${onboarding.addInitialEimError}`,
            );
          }
        }
        const eimId = options.eims?.[0]?.eimId;
        return new Ipa(euicc, {
          client,
          ...(eimId !== undefined ? { eimId } : {}),
          intervalMs: options.intervalMs,
          jitterMs: options.jitterMs,
          limiter,
          ...(options.faults ? { faults: options.faults } : {}),
          ...(options.onError ? { onError: (e: Error) => options.onError!(c.eid, e) } : {}),
          ...(persist ? { afterCycle: persist } : {}),
          ...(options.bundleNotifications ? { bundleNotifications: true } : {}),
          ...(options.download ? { download: options.download } : {}),
          ...(options.smdpScheme ? { smdpScheme: options.smdpScheme } : {}),
        });
      });
    } catch (e) {
      // A fleet that cannot start must not keep a connection (MQTT) open.
      client.close();
      throw e;
    }
    client.onWake?.((eid) => devices.find((d) => d.eid === eid)?.wake());
    const fleet = new Fleet(devices, ciCertificate, client, persist);
    fleet.persist();
    return fleet;
  }

  /** Spreads the first polls over one interval so that N devices do not poll in step. */
  start(intervalMs: number): void {
    for (const d of this.devices) d.start(Math.random() * intervalMs);
  }

  /** Reboots one device after another so that each reboots once per period (a reboot fault). */
  rebootEvery(periodMs: number): void {
    let next = 0;
    clearInterval(this.reboots);
    this.reboots = setInterval(
      () => {
        const device = this.devices[next++ % this.devices.length]!;
        void device.reboot().then(() => this.persist([device]));
      },
      Math.max(1, periodMs / this.devices.length),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.reboots);
    await Promise.all(this.devices.map((d) => d.stop()));
    this.persist();
    this.client.close();
  }

  /** The devices with `eid`, or all of them when no EID is given. */
  select(eid?: string): Ipa[] {
    if (eid === undefined) return this.devices;
    const device = this.devices.find((d) => d.eid === eid);
    if (!device) throw new UnknownDeviceError(eid);
    return [device];
  }

  /** What the devices with `eid` (all of them without) hold and how their IPAs fare. */
  describe(eid?: string): DeviceDescription[] {
    return this.select(eid).map(({ euicc, faults, stats, imei }) => ({
      eid: euicc.eid,
      imei,
      profiles: euicc.state.profiles.map((p) => ({
        iccid: p.iccid,
        state: p.state,
        fallbackAttribute: p.fallbackAttribute,
        profileClass: p.profileClass,
        serviceProviderName: p.serviceProviderName,
      })),
      eims: euicc.state.eims.map((e) => {
        const c = configurationOf(e);
        return {
          eimId: c.eimId,
          ...(c.eimFqdn !== undefined ? { eimFqdn: c.eimFqdn } : {}),
          counterValue: e.counterValue,
          ...(e.associationToken !== undefined ? { associationToken: e.associationToken } : {}),
        };
      }),
      pendingNotifications: euicc.state.pending.filter((r) => r.kind !== 'euiccPackageResult').length,
      pendingPackageResults: euicc.state.pending.filter((r) => r.kind === 'euiccPackageResult').length,
      downloadTriggers: euicc.state.downloadTriggers,
      faults: { ...faults },
      stats: { ...stats },
    }));
  }
}
