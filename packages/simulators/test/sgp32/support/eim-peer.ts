/**
 * A tiny eIM peer double at the DER level: the ESipa HTTP ASN.1 binding on 127.0.0.1, a queue of
 * GetEimPackageResponses per EID, and a record of everything the IPA sent.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  decode,
  encode,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  type GetEimPackageResponse,
  type ProvideEimPackageResultResponse,
} from '@esim/asn1';
import type { RspServer } from '../../../src/sgp32/ipa/rsp-server.js';

export interface Received {
  message: EsipaMessageFromIpaToEim;
  headers: IncomingMessage['headers'];
  path: string;
}

export class EimPeer {
  readonly received: Received[] = [];
  readonly queue = new Map<string, GetEimPackageResponse[]>();
  /** What ProvideEimPackageResult is answered with; default: acknowledge the result's seqNumber. */
  provideAnswer?: (message: EsipaMessageFromIpaToEim) => ProvideEimPackageResultResponse;
  /** Called after each message is recorded, before the answer goes out. */
  onMessage?: (message: EsipaMessageFromIpaToEim) => void;
  /** Replaces the whole answer (status + body) when set; `hang` never answers. */
  override?: { status: number; body: Uint8Array } | 'hang';
  /** Relays the indirect download functions (as an eIM does over ES9+') when set; HTTP front only. */
  rsp?: RspServer;
  /** An HTTP status to answer a recorded message with instead of the normal answer. */
  statusFor?: (message: EsipaMessageFromIpaToEim) => number | undefined;
  private server!: Server;
  url = '';

  /** With `tls`, the peer speaks HTTPS with that key and certificate (PEM). */
  async start(tls?: { key: string; cert: string }): Promise<this> {
    const handler: RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.override === 'hang') return;
        if (this.override) {
          res.writeHead(this.override.status).end(this.override.body);
          return;
        }
        // JSON binding: /gsma/rsp2/esipa/<function>, { <alternative>: base64 DER }.
        const json = req.url?.startsWith('/gsma/rsp2/esipa/');
        const body = Buffer.concat(chunks);
        const message = decode(
          EsipaMessageFromIpaToEim,
          json
            ? Buffer.from(Object.values(JSON.parse(body.toString()) as Record<string, string>)[0]!, 'base64')
            : body,
        );
        this.record(message, req.headers, req.url ?? '');
        const status = this.statusFor?.(message);
        if (status !== undefined) {
          res.writeHead(status).end();
          return;
        }
        void this.answerOrRelay(message).then((answer) => {
          if (!answer) {
            res.writeHead(204).end();
            return;
          }
          const der = encode(EsipaMessageFromEimToIpa, answer);
          if (json) {
            const member = { [Object.keys(answer)[0]!]: Buffer.from(der).toString('base64') };
            res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(member));
          } else {
            res.writeHead(200, { 'Content-Type': 'application/x-gsma-rsp-asn1' }).end(der);
          }
        });
      });
    };
    this.server = tls ? createTlsServer(tls, handler) : createServer(handler);
    await new Promise<void>((res) => this.server.listen(0, '127.0.0.1', res));
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((res) => this.server.close(() => res()));
  }

  enqueue(eid: string, response: GetEimPackageResponse): void {
    this.queue.set(eid, [...(this.queue.get(eid) ?? []), response]);
  }

  of<K extends keyof EsipaMessageFromIpaToEim>(kind: K): NonNullable<EsipaMessageFromIpaToEim[K]>[] {
    return this.received.map((r) => r.message[kind]).filter((m) => m !== undefined) as NonNullable<
      EsipaMessageFromIpaToEim[K]
    >[];
  }

  /**
   * Records a message and answers it as the peer does on every transport (the HTTP front here,
   * the CoAP and MQTT fronts in peer-fronts.ts); `undefined`: no answer message.
   */
  take(message: EsipaMessageFromIpaToEim): EsipaMessageFromEimToIpa | undefined {
    this.record(message, {}, '');
    return this.answer(message);
  }

  private async answerOrRelay(
    message: EsipaMessageFromIpaToEim,
  ): Promise<EsipaMessageFromEimToIpa | undefined> {
    const rsp = this.rsp;
    if (rsp && message.initiateAuthenticationRequestEsipa)
      return {
        initiateAuthenticationResponseEsipa: await rsp.initiateAuthentication(
          message.initiateAuthenticationRequestEsipa,
        ),
      };
    if (rsp && message.authenticateClientRequestEsipa)
      return {
        authenticateClientResponseEsipa: await rsp.authenticateClient(message.authenticateClientRequestEsipa),
      };
    if (rsp && message.getBoundProfilePackageRequestEsipa)
      return {
        getBoundProfilePackageResponseEsipa: await rsp.getBoundProfilePackage(
          message.getBoundProfilePackageRequestEsipa,
        ),
      };
    return this.answer(message);
  }

  private record(message: EsipaMessageFromIpaToEim, headers: IncomingMessage['headers'], path: string) {
    this.received.push({ message, headers, path });
    this.onMessage?.(message);
  }

  private answer(message: EsipaMessageFromIpaToEim): EsipaMessageFromEimToIpa | undefined {
    if (message.getEimPackageRequest) {
      const eid = Buffer.from(message.getEimPackageRequest.eidValue).toString('hex').toUpperCase();
      const next = this.queue.get(eid)?.shift();
      return { getEimPackageResponse: next ?? { eimPackageError: 1 } };
    }
    if (message.provideEimPackageResult) {
      if (this.provideAnswer) return { provideEimPackageResultResponse: this.provideAnswer(message) };
      const result = message.provideEimPackageResult.eimPackageResult;
      const bundle = result.ePRAndNotifications;
      const epr = (bundle?.euiccPackageResult ?? result.euiccPackageResult)?.euiccPackageResultSigned;
      const seqNumbers = [
        ...(epr ? [epr.euiccPackageResultDataSigned.seqNumber] : []),
        ...(bundle?.notificationList ?? []).map(
          (n) => n.otherSignedNotification!.tbsOtherNotification.seqNumber,
        ),
      ];
      return {
        provideEimPackageResultResponse: seqNumbers.length
          ? { eimAcknowledgements: seqNumbers }
          : { emptyResponse: {} },
      };
    }
    return undefined;
  }
}
