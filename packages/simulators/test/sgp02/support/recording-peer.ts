import { soapServer } from '../../../src/sgp02/peer-server.js';
import { readEnvelope, type Envelope } from '../../../src/sgp02/soap.js';

export interface RecordingPeer {
  /** The endpoint to give as wsa:From / ReplyTo. */
  url: string;
  /** Every envelope posted to it, in order of arrival. */
  received: Envelope[];
  close(): Promise<void>;
}

/** A scripted SOAP peer (an operator, an SM-DP) that records every envelope posted to `path` and answers 202. */
export async function startRecordingPeer(path: string): Promise<RecordingPeer> {
  const app = soapServer(false);
  const received: Envelope[] = [];
  app.post(path, async (req, reply) => {
    received.push(readEnvelope(req.body as string));
    return reply.status(202).send();
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${base}${path}`, received, close: () => app.close() };
}
