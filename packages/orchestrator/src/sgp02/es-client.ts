import { randomUUID } from 'node:crypto';
import { actionOf, mepOf, type EsInterface } from './functions.js';
import { parseExecutionStatus, type FunctionExecutionStatus } from './status.js';
import { entityAddress } from './soap/entity-address.js';
import { PeerProtocolError, postSoap } from './soap/soap-client.js';
import { fields, type XmlField, type XmlNode } from './soap/xml.js';

/** The function requester: us, named by our EntityId, answered at our callback endpoint. */
export interface Requester {
  entityId: string;
  /** Base URL peers call back (ReplyTo, From); the interface path is appended. */
  publicUrl: string;
}

/** The function provider: an SM-SR or SM-DP row of `platforms`. */
export interface Provider {
  entityId: string;
  endpointUrl: string;
  /** HTTP Authorization header value (platform-auth.ts). */
  authorization?: string;
}

export interface CallOptions {
  /** SGP.02 FunctionCallIdentifier: the same for every retry of one operation. */
  functionCallId: string;
  /** Seconds from receipt by the provider. */
  validityPeriod?: number;
  /** wsa:MessageID; a new one per message when absent. */
  messageId?: string;
}

export type FunctionReply =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'answered'; messageId: string; status: FunctionExecutionStatus; body: XmlNode };

export function newMessageId(entityId: string): string {
  return `//${entityId}/urn:uuid:${randomUUID()}`;
}

/** Our callback path for an interface: `/sgp02/es4`. */
export function callbackPath(iface: EsInterface): string {
  return `/sgp02/${iface.toLowerCase()}`;
}

/**
 * A client of one SGP.02 interface over the SOAP binding. Each function is one method named as
 * the specification names it; the request header fields come first, in schema order.
 */
abstract class EsClient {
  protected abstract readonly iface: EsInterface;
  constructor(private readonly requester: Requester) {}

  protected async call(
    fn: string,
    provider: Provider,
    opts: CallOptions,
    body: (readonly [string, string | readonly XmlField[] | undefined])[],
  ): Promise<FunctionReply> {
    const messageId = opts.messageId ?? newMessageId(this.requester.entityId);
    const element = `${this.iface}-${fn}Request`;
    const own = new URL(callbackPath(this.iface), this.requester.publicUrl).toString();
    const reply = await postSoap({
      endpoint: provider.endpointUrl,
      authorization: provider.authorization,
      addressing: {
        from: entityAddress(own, this.requester.entityId),
        to: entityAddress(provider.endpointUrl, provider.entityId),
        messageId,
        action: actionOf(this.iface, element),
        replyTo: mepOf(fn) === 'async' ? own : undefined,
      },
      bodyName: element,
      body: fields(
        ['FunctionCallIdentifier', opts.functionCallId],
        ['ValidityPeriod', opts.validityPeriod === undefined ? undefined : String(opts.validityPeriod)],
        ...body,
      ),
    });
    if (reply.kind === 'accepted') {
      if (mepOf(fn) === 'sync')
        throw new PeerProtocolError(`${element} is synchronous but the provider only acknowledged it`);
      return { kind: 'accepted', messageId };
    }
    const { message } = reply;
    // A provider may refuse an asynchronous request at once (validation) with its Response.
    if (message.bodyName.toLowerCase() !== `${this.iface}-${fn}Response`.toLowerCase())
      throw new PeerProtocolError(`expected ${this.iface}-${fn}Response, got ${message.bodyName}`);
    const status = parseExecutionStatus(message.body);
    if (!status) throw new PeerProtocolError(`${message.bodyName} without a valid FunctionExecutionStatus`);
    return { kind: 'answered', messageId, status, body: message.body };
  }
}

type Eid = { eid: string };
type OnProfile = Eid & { iccid: string };
export type Pol2Rule = { action: string; qualification: string };
export type SubscriptionAddress = { imsi?: string; msisdn?: string };

const pol2Fields = (rules: readonly Pol2Rule[]): XmlField[] =>
  rules.map((r) => [
    'Rule',
    [
      ['Subject', 'PROFILE'],
      ['Action', r.action],
      ['Qualification', r.qualification],
    ],
  ]);

const addressFields = (a: SubscriptionAddress) => fields(['Imsi', a.imsi], ['Msisdn', a.msisdn]);

/** ES4: operator -> SM-SR. */
export class Es4Client extends EsClient {
  protected readonly iface = 'ES4';

  GetEIS(p: Provider, a: Eid, o: CallOptions) {
    return this.call('GetEIS', p, o, [['Eid', a.eid]]);
  }
  AuditEIS(p: Provider, a: Eid & { iccids?: readonly string[] }, o: CallOptions) {
    return this.call('AuditEIS', p, o, [
      ['Eid', a.eid],
      ...(a.iccids ?? []).map((i) => ['Iccid', i] as const),
    ]);
  }
  EnableProfile(p: Provider, a: OnProfile, o: CallOptions) {
    return this.call('EnableProfile', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
    ]);
  }
  DisableProfile(p: Provider, a: OnProfile, o: CallOptions) {
    return this.call('DisableProfile', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
    ]);
  }
  DeleteProfile(p: Provider, a: OnProfile, o: CallOptions) {
    return this.call('DeleteProfile', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
    ]);
  }
  UpdatePolicyRules(p: Provider, a: OnProfile & { pol2: readonly Pol2Rule[] }, o: CallOptions) {
    return this.call('UpdatePolicyRules', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
      ['pol2', pol2Fields(a.pol2)],
    ]);
  }
  UpdateSubscriptionAddress(p: Provider, a: OnProfile & { address: SubscriptionAddress }, o: CallOptions) {
    return this.call('UpdateSubscriptionAddress', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
      ['NewSubscriptionAddress', addressFields(a.address)],
    ]);
  }
  SetFallbackAttribute(p: Provider, a: OnProfile, o: CallOptions) {
    return this.call('SetFallbackAttribute', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
    ]);
  }
  UnsetFallbackAttribute(p: Provider, a: OnProfile, o: CallOptions) {
    return this.call('UnsetFallbackAttribute', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
    ]);
  }
  SetEmergencyProfileAttribute(p: Provider, a: OnProfile, o: CallOptions) {
    return this.call('SetEmergencyProfileAttribute', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
    ]);
  }
  UnsetEmergencyProfileAttribute(p: Provider, a: OnProfile, o: CallOptions) {
    return this.call('UnsetEmergencyProfileAttribute', p, o, [
      ['Eid', a.eid],
      ['Iccid', a.iccid],
    ]);
  }
  /** Sent to the new SM-SR. */
  PrepareSMSRChange(p: Provider, a: Eid & { currentSmsrId: string }, o: CallOptions) {
    return this.call('PrepareSMSRChange', p, o, [
      ['Eid', a.eid],
      ['CurrentSMSRid', a.currentSmsrId],
    ]);
  }
  /** Sent to the current SM-SR. */
  SMSRChange(p: Provider, a: Eid & { targetSmsrId: string }, o: CallOptions) {
    return this.call('SMSRChange', p, o, [
      ['Eid', a.eid],
      ['Target-Smsr-id', a.targetSmsrId],
    ]);
  }
}

type ViaSmsr = { smsrId: string };

const viaSmsr = (a: OnProfile & ViaSmsr): [string, string][] => [
  ['Eid', a.eid],
  ['Smsr-id', a.smsrId],
  ['Iccid', a.iccid],
];

/**
 * ES2: operator -> SM-DP; every call names the eUICC's SM-SR. The adapter uses DownloadProfile,
 * and the others on an SM-SR whose route is ES2 (profile-route.ts), through the profile's SM-DP.
 */
export class Es2Client extends EsClient {
  protected readonly iface = 'ES2';

  GetEIS(p: Provider, a: Eid & ViaSmsr, o: CallOptions) {
    return this.call('GetEIS', p, o, [
      ['Eid', a.eid],
      ['Smsr-id', a.smsrId],
    ]);
  }
  AuditEIS(p: Provider, a: Eid & ViaSmsr & { iccids?: readonly string[] }, o: CallOptions) {
    return this.call('AuditEIS', p, o, [
      ['Eid', a.eid],
      ['Smsr-id', a.smsrId],
      ...(a.iccids ?? []).map((i) => ['Iccid', i] as const),
    ]);
  }
  EnableProfile(p: Provider, a: OnProfile & ViaSmsr, o: CallOptions) {
    return this.call('EnableProfile', p, o, viaSmsr(a));
  }
  DisableProfile(p: Provider, a: OnProfile & ViaSmsr, o: CallOptions) {
    return this.call('DisableProfile', p, o, viaSmsr(a));
  }
  DeleteProfile(p: Provider, a: OnProfile & ViaSmsr, o: CallOptions) {
    return this.call('DeleteProfile', p, o, viaSmsr(a));
  }
  UpdatePolicyRules(p: Provider, a: OnProfile & ViaSmsr & { pol2: readonly Pol2Rule[] }, o: CallOptions) {
    return this.call('UpdatePolicyRules', p, o, [...viaSmsr(a), ['pol2', pol2Fields(a.pol2)]]);
  }
  UpdateSubscriptionAddress(
    p: Provider,
    a: OnProfile & ViaSmsr & { address: SubscriptionAddress },
    o: CallOptions,
  ) {
    return this.call('UpdateSubscriptionAddress', p, o, [
      ...viaSmsr(a),
      ['NewSubscriptionAddress', addressFields(a.address)],
    ]);
  }
  DownloadProfile(
    p: Provider,
    a: Eid & ViaSmsr & { iccid?: string; profileType?: string; enable: boolean },
    o: CallOptions,
  ) {
    return this.call('DownloadProfile', p, o, [
      ['Eid', a.eid],
      ['Smsr-id', a.smsrId],
      ['ProfileType', a.profileType],
      ['Iccid', a.iccid],
      ['EnableProfile', String(a.enable)],
    ]);
  }
}
