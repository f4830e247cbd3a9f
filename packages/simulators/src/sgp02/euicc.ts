import type { Tree } from './soap.js';

/** SGP.02 Annex H AIDs. */
export const ISD_R_AID = 'A0000005591010FFFFFFFF8900000100';
export const ECASD_AID = 'A0000005591010FFFFFFFF8900000200';
const ISDP_LOADFILE_AID = 'A0000005591010FFFFFFFF8900000D00';
const ISDP_MODULE_AID = 'A0000005591010FFFFFFFF8900000E00';

export type ProfileState = 'Created' | 'Disabled' | 'Enabled';

export interface Pol2Rule {
  action: 'ENABLE' | 'DISABLE' | 'DELETE';
  qualification: 'Not-Allowed' | 'Auto-Delete';
}

export interface SimProfile {
  iccid: string;
  isdpAid: string;
  mnoId: string;
  state: ProfileState;
  fallback: boolean;
  emergency: boolean;
  msisdn?: string;
  imsi?: string;
  smdpId?: string;
  profileType?: string;
  allocatedMemory: number;
  pol2: Pol2Rule[];
}

export interface AuditRecord {
  operationDate: string;
  operationType: string;
  requesterId?: string;
  status: string;
  iccid?: string;
  isdpAid?: string;
}

/** One simulated SGP.02 eUICC and the EIS its SM-SR holds for it. */
export interface SimEuicc {
  eid: string;
  eumId: string;
  productionDate: string;
  platformType: string;
  platformVersion: string;
  remainingMemory: number;
  profiles: SimProfile[];
  auditTrail: AuditRecord[];
  /** Unreachable over SMS/HTTPS: functions wait for it until their validity period ends. */
  offline: boolean;
  nextIsdp: number;
}

const digits = (n: number, width: number) => String(n).padStart(width, '0');

/** A Luhn check digit, so the generated ICCIDs look like real ones. */
function luhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return String((10 - (sum % 10)) % 10);
}

export const isdpAidFor = (n: number) => `A0000005591010FFFFFFFF89${digits(n, 6)}00`;

/**
 * A fleet of `count` eUICCs, deterministic for a given `seed`: each with an operational profile
 * (enabled, fallback) and a second one disabled, both of operator `mnoId`, prepared by SM-DP
 * `smdpId` (none: loaded at manufacture).
 */
export function makeFleet(
  count: number,
  opts: { mnoId: string; seed?: number; eumId?: string; smdpId?: string },
): SimEuicc[] {
  const seed = opts.seed ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const n = seed * 1_000_000 + i;
    const profile = (k: number, state: ProfileState, fallback: boolean): SimProfile => {
      const body = `8988247${digits(n, 10)}${k}`;
      return {
        iccid: `${body}${luhn(body)}`,
        isdpAid: isdpAidFor(0x10 + k),
        mnoId: opts.mnoId,
        smdpId: opts.smdpId,
        state,
        fallback,
        emergency: false,
        msisdn: `4915${digits(n * 10 + k, 9)}`,
        imsi: `26201${digits(n * 10 + k, 10)}`,
        allocatedMemory: 65_536,
        pol2: [],
      };
    };
    return {
      eid: `89049032000010000000${digits(n, 12)}`.slice(0, 32),
      eumId: opts.eumId ?? '1.3.6.1.4.1.99999.40',
      productionDate: '2024-01-15T00:00:00Z',
      platformType: 'SIM-OS-M2M',
      platformVersion: '4.2.0',
      remainingMemory: 512_000,
      profiles: [profile(1, 'Enabled', true), profile(2, 'Disabled', false)],
      auditTrail: [],
      offline: false,
      nextIsdp: 0x20,
    };
  });
}

/**
 * Who reads the EIS decides what it holds (the GetEIS filtering of SGP.02): an operator sees only
 * its own profiles, an SM-DP only those it downloaded, neither any security-domain data; the SM-SR
 * itself (and an SM-SR taking over) all.
 */
export type EisView =
  { kind: 'operator'; entityId: string } | { kind: 'smdp'; entityId: string } | { kind: 'full' };

const visible = (p: SimProfile, view: EisView): boolean =>
  view.kind === 'full' || (view.kind === 'operator' ? p.mnoId : p.smdpId) === view.entityId;

export function eisTree(e: SimEuicc, smsrId: string, view: EisView): Tree {
  const profiles = e.profiles.filter((p) => visible(p, view));
  const full = view.kind === 'full';
  return [
    [
      'EumSignedInfo',
      [
        ['Eid', e.eid],
        ['Eum-id', e.eumId],
        ['ProductionDate', e.productionDate],
        ['PlatformType', e.platformType],
        ['PlatformVersion', e.platformVersion],
        ['Isd-p-loadfile-aid', ISDP_LOADFILE_AID],
        ['Isd-p-module-aid', ISDP_MODULE_AID],
        [
          'Ecasd',
          full
            ? [
                ['Aid', ECASD_AID],
                ['Role', 'ECASD'],
              ]
            : undefined,
        ],
        [
          'EuiccCapabilities',
          [
            ['CattpSupport', 'true'],
            ['HttpSupport', 'true'],
            ['SecurePacketVersion', '3.1.0'],
            ['RemoteProvisioningVersion', '4.2.0'],
          ],
        ],
      ],
    ],
    ['RemainingMemory', String(e.remainingMemory)],
    ['AvailableMemoryForProfiles', String(e.remainingMemory)],
    ['Smsr-id', smsrId],
    ...profiles.map((p): [string, Tree] => [
      'ProfileInfo',
      [
        ['Iccid', p.iccid],
        ['Isd-p-aid', p.isdpAid],
        ['Mno-id', p.mnoId],
        ['FallbackAttribute', String(p.fallback)],
        ['EmergencyProfileAttribute', String(p.emergency)],
        [
          'SubscriptionAddress',
          [
            ['Imsi', p.imsi],
            ['Msisdn', p.msisdn],
          ],
        ],
        ['State', p.state],
        ['Smdp-id', p.smdpId],
        ['ProfileType', p.profileType],
        ['AllocatedMemory', String(p.allocatedMemory)],
        [
          'pol2',
          p.pol2.map((r): [string, Tree] => [
            'Rule',
            [
              ['Subject', 'PROFILE'],
              ['Action', r.action],
              ['Qualification', r.qualification],
            ],
          ]),
        ],
      ],
    ]),
    [
      'Isd-r',
      full
        ? [
            ['Aid', ISD_R_AID],
            ['Role', 'ISD-R'],
          ]
        : undefined,
    ],
    [
      'AuditTrail',
      full
        ? e.auditTrail.map((r): [string, Tree] => [
            'Record',
            [
              ['Eid', e.eid],
              ['Smsr-id', smsrId],
              ['OperationDate', r.operationDate],
              ['OperationType', r.operationType],
              ['RequesterId', r.requesterId],
              ['OperationExecutionStatus', r.status],
              ['Isd-p-aid', r.isdpAid],
              ['Iccid', r.iccid],
            ],
          ])
        : undefined,
    ],
  ];
}
