import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { writeEnvelope, type Tree } from '../../../packages/simulators/src/sgp02/soap.js';
import { startSmsr, type RunningSmsr } from '../../../packages/simulators/src/sgp02/smsr.js';
import { OPERATOR, SMDP, SMSR1, SMSR2, World } from './world.js';

/**
 * Bad input on our callback endpoint (written with the simulators' SOAP code, not ours): each is
 * refused with a SOAP Fault naming the problem, and changes nothing, not even the audit log.
 */
describe(`SGP.02 bad input on ${testDatabaseKind()}`, () => {
  let w: World;
  let eids: string[];
  let foreign: RunningSmsr;
  beforeAll(async () => {
    w = await World.start(3);
    eids = w.eids();
    // An SM-SR that does not know us as a function requester.
    foreign = await startSmsr({
      entityId: '1.3.6.1.4.1.99999.29',
      count: 1,
      seed: 9,
      operators: ['1.2.3.4'],
    });
  });
  afterAll(async () => {
    await foreign?.close();
    await w?.close();
  });

  const endpoint = () => `${w.app.urls.api}/sgp02/es4`;
  const post = async (body: string, type = 'application/soap+xml') => {
    const res = await fetch(endpoint(), { method: 'POST', headers: { 'content-type': type }, body });
    return { status: res.status, text: await res.text() };
  };
  const message = (
    fromEntity: string,
    name: string,
    body: Tree,
    relatesTo?: string,
    messageId = `urn:uuid:${randomUUID()}`,
  ) =>
    writeEnvelope(
      {
        from: `http://127.0.0.1:1/es4?EntityId=${fromEntity}`,
        to: endpoint(),
        messageId,
        action: `urn:test:${name}`,
        relatesTo,
      },
      name,
      body,
    );
  const notification = (fromEntity: string, eid: string, iccid: string, messageId?: string) =>
    message(
      fromEntity,
      'ES4-HandleProfileEnabledNotification',
      [
        ['Eid', eid],
        ['Iccid', iccid],
        ['CompletionTimestamp', new Date().toISOString()],
      ],
      undefined,
      messageId,
    );

  /** Runs `act` and checks it changed neither the inventory, the operations nor the audit log. */
  const unchanged = async (act: () => Promise<void>) => {
    const snapshot = async () => ({
      audit: await w.auditCount(),
      profiles: await w.knex('profiles').orderBy('iccid').select('iccid', 'state', 'fallback'),
      ops: await w.knex('operations').orderBy('id').select('id', 'state'),
      received: await w.knex('sgp02_received').count('* as c'),
    });
    const before = await snapshot();
    await act();
    expect(await snapshot()).toEqual(before);
  };

  it('malformed XML', () =>
    unchanged(async () => {
      const r = await post('<env:Envelope><env:Body><ES4-Handle');
      expect(r.status).toBe(400);
      expect(r.text).toContain('sgp02_malformed_message');
      expect(r.text).toMatch(/malformed XML/);
      expect(r.text).toContain('Fault');
    }));

  it('an envelope without a Body element, or with two', () =>
    unchanged(async () => {
      const r = await post('<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Header/></Envelope>');
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/without a Body/);
    }));

  it('a SOAP fault', () =>
    unchanged(async () => {
      const fault =
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text>down</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>';
      const r = await post(fault);
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/SOAP fault is not a callback/);
    }));

  it('an answer relating to no request of ours', () =>
    unchanged(async () => {
      const r = await post(
        message(
          SMSR1,
          'ES4-EnableProfileResponse',
          [['FunctionExecutionStatus', [['Status', 'EXECUTED_SUCCESS']]]],
          'urn:uuid:nothing',
        ),
      );
      expect(r.status).toBe(404);
      expect(r.text).toMatch(/relates to no ES4.EnableProfile request/);
    }));

  it('an answer with an unknown FunctionCallIdentifier', async () => {
    const eid = eids[0]!;
    await w.faults({ dropNextResponse: true, dropNotifications: 1 });
    const { op } = await w.run(eid, 'enable', { iccid: w.iccids(eid)[1] }, { waitMs: 200 });
    expect(op.state).toBe('sent');
    await unchanged(async () => {
      const r = await post(
        message(
          SMSR1,
          'ES4-EnableProfileResponse',
          [
            ['FunctionCallIdentifier', 'not-ours'],
            ['FunctionExecutionStatus', [['Status', 'EXECUTED_SUCCESS']]],
          ],
          op.correlationId!,
        ),
      );
      expect(r.status).toBe(404);
      expect(r.text).toContain('not-ours');
    });
  });

  it('an answer from a wrong requester', async () => {
    const [op] = await w.knex('operations').where({ state: 'sent' });
    await unchanged(async () => {
      const r = await post(
        message(
          SMSR2,
          'ES4-EnableProfileResponse',
          [['FunctionExecutionStatus', [['Status', 'EXECUTED_SUCCESS']]]],
          op.correlation_id,
        ),
      );
      expect(r.status).toBe(403);
      expect(r.text).toMatch(/must come from 1\.3\.6\.1\.4\.1\.99999\.21/);
    });
    // The right SM-SR's late answer still ends it.
    const r = await post(
      message(
        SMSR1,
        'ES4-EnableProfileResponse',
        [['FunctionExecutionStatus', [['Status', 'EXECUTED_SUCCESS']]]],
        op.correlation_id,
      ),
    );
    expect(r.status).toBe(202);
    expect((await w.operations.get(op.id))!.state).toBe('succeeded');
  });

  it('a notification from a platform that does not manage the eUICC, or from no one', async () => {
    const eid = eids[1]!;
    const [, second] = w.iccids(eid);
    await unchanged(async () => {
      const other = await post(notification(SMSR2, eid, second!));
      expect(other.status).toBe(403);
      expect(other.text).toMatch(/may not notify/);
      const unknown = await post(notification('1.9.9.9', eid, second!));
      expect(unknown.status).toBe(403);
      const anonymous = await post(notification(OPERATOR, eid, second!).replace(/\?EntityId=[0-9.]+/, ''));
      expect(anonymous.status).toBe(401);
    });
  });

  it('a notification for an unknown eUICC, or of an unknown kind', () =>
    unchanged(async () => {
      const r = await post(notification(SMSR1, '89049032000010000000999999999999', '8988247000000000011'));
      expect(r.status).toBe(404);
      const odd = await post(
        message(SMSR1, 'ES4-HandleSomethingNotification', [
          ['Eid', eids[1]!],
          ['Iccid', '8988247000000000011'],
        ]),
      );
      expect(odd.status).toBe(400);
      const request = await post(message(SMSR1, 'ES4-EnableProfileRequest', [['Eid', eids[1]!]]));
      expect(request.status).toBe(400);
    }));

  it('the same notification twice: accepted twice, applied once', async () => {
    const eid = eids[2]!;
    const [first, second] = w.iccids(eid);
    const xml = notification(SMSR1, eid, second!, `urn:uuid:${randomUUID()}`);
    expect((await post(xml)).status).toBe(202);
    const states = async () => Object.fromEntries((await w.inventory(eid)).map((p) => [p.iccid, p.state]));
    expect(await states()).toEqual({ [first!]: 'disabled', [second!]: 'enabled' });
    await unchanged(async () => {
      expect((await post(xml)).status).toBe(202);
    });
  });

  it('an SM-SR that does not know us refuses: the operation fails with 1.1 / 1.2', async () => {
    await w.knex('platforms').insert({
      id: 'smsr-9',
      kind: 'smsr',
      name: 'SM-SR 9',
      entity_id: foreign.entityId,
      endpoint_url: foreign.es4,
    });
    const [card] = foreign.fleet.values();
    await w.knex('euiccs').insert({ eid: card!.eid, stack: 'sgp02', smsr_id: 'smsr-9' });
    const { op } = await w.run(card!.eid, 'enable', { iccid: card!.profiles[1]!.iccid });
    expect(op.state).toBe('failed');
    expect(op.error).toMatchObject({ details: { status: 'FAILED', subject: '1.1', reason: '1.2' } });
    expect(card!.profiles[1]!.state).toBe('Disabled');
  });

  it('invalid parameters are refused before anything is sent', async () => {
    const { op } = await w.run(eids[1]!, 'enable', { iccid: 'abc' });
    expect(op.error).toMatchObject({ code: 'invalid_params' });
    expect(await w.knex('sgp02_requests').where({ operation_id: op.id })).toHaveLength(0);
  });

  it('HandleProfileFallbackNotification: the eUICC switched to its fallback profile by itself', async () => {
    const eid = eids[2]!;
    const [first] = w.iccids(eid);
    const r = await post(
      message(SMSR1, 'ES4-HandleProfileFallbackNotification', [
        ['Eid', eid],
        ['Iccid', first!],
        ['CompletionTimestamp', new Date().toISOString()],
      ]),
    );
    expect(r.status).toBe(202);
    expect((await w.inventory(eid)).find((p) => p.iccid === first)?.state).toBe('enabled');
  });

  it('accepts text/xml (SOAP 1.1 style peers) and refuses other media types with a SOAP fault', async () => {
    const eid = eids[2]!;
    const [first] = w.iccids(eid);
    expect((await post(notification(SMSR1, eid, first!), 'text/xml; charset=utf-8')).status).toBe(202);
    await unchanged(async () => {
      const r = await post(notification(SMSR1, eid, first!), 'application/octet-stream');
      expect(r.status).toBe(415);
      expect(r.text).toContain('Fault');
      const json = await post(notification(SMSR1, eid, first!), 'application/json');
      expect(json.status).toBe(400);
      expect(json.text).toContain('Fault');
    });
  });

  it('a notification naming an ICCID of the wrong form', () =>
    unchanged(async () => {
      const r = await post(notification(SMSR1, eids[1]!, '12AB'));
      expect(r.status).toBe(422);
      expect(r.text).toContain('unprocessable');
    }));

  it('authenticates to a platform with HTTP Basic from platforms.auth, the password from the environment', async () => {
    const guarded = await startSmsr({
      entityId: '1.3.6.1.4.1.99999.28',
      count: 1,
      seed: 8,
      operators: [OPERATOR],
      latencyMs: 0,
      basicAuth: { username: 'esim', password: 's3cret' },
    });
    try {
      process.env.TEST_SMSR8_PASSWORD = 's3cret';
      const auth = { scheme: 'basic', username: 'esim', passwordEnv: 'TEST_SMSR8_PASSWORD' };
      await w.knex('platforms').insert({
        id: 'smsr-8',
        kind: 'smsr',
        name: 'SM-SR 8',
        entity_id: guarded.entityId,
        endpoint_url: guarded.es4,
        auth: JSON.stringify(auth),
      });
      const [card] = guarded.fleet.values();
      await w.knex('euiccs').insert({ eid: card!.eid, stack: 'sgp02', smsr_id: 'smsr-8' });
      for (const p of card!.profiles)
        await w
          .knex('profiles')
          .insert({ iccid: p.iccid, eid: card!.eid, state: p.state.toLowerCase(), fallback: p.fallback });
      expect((await w.run(card!.eid, 'audit', {})).op.state).toBe('succeeded');

      process.env.TEST_SMSR8_PASSWORD = 'wrong';
      const refused = await w.run(card!.eid, 'audit', {});
      expect(refused.op.state).toBe('failed');
      expect(refused.op.error).toMatchObject({ code: 'sgp02_peer_protocol' });
      // A Sender fault: our message is refused, trying again will not help.
      expect(refused.dispatched).toMatchObject({ status: 'failed', retryable: false });
      expect(refused.op.error!.message).toMatch(/credentials missing or wrong/);

      delete process.env.TEST_SMSR8_PASSWORD;
      const unset = await w.run(card!.eid, 'audit', {});
      expect(unset.op.error).toMatchObject({ code: 'platform_auth' });
      expect(unset.op.error!.message).toMatch(/TEST_SMSR8_PASSWORD/);
      expect(await w.knex('sgp02_requests').where({ operation_id: unset.op.id })).toHaveLength(0);
    } finally {
      delete process.env.TEST_SMSR8_PASSWORD;
      await guarded.close();
    }
  });

  it('a provider that answers no SOAP, or is not there, fails the attempt as retryable', async () => {
    await w.knex('platforms').insert([
      {
        id: 'smsr-404',
        kind: 'smsr',
        name: 'wrong path',
        entity_id: '1.3.6.1.4.1.99999.26',
        endpoint_url: `${w.smsr.url}/nowhere`,
      },
      {
        id: 'smsr-down',
        kind: 'smsr',
        name: 'down',
        entity_id: '1.3.6.1.4.1.99999.27',
        endpoint_url: 'http://127.0.0.1:1/es4',
      },
    ]);
    const eid404 = '89049032000010000000000000000404';
    const eidDown = '89049032000010000000000000000405';
    await w.knex('euiccs').insert([
      { eid: eid404, stack: 'sgp02', smsr_id: 'smsr-404' },
      { eid: eidDown, stack: 'sgp02', smsr_id: 'smsr-down' },
    ]);
    const notSoap = await w.run(eid404, 'audit', {});
    expect(notSoap.dispatched).toMatchObject({
      status: 'failed',
      retryable: true,
      error: { code: 'sgp02_peer_protocol' },
    });
    const down = await w.run(eidDown, 'audit', {});
    expect(down.dispatched).toMatchObject({
      status: 'failed',
      retryable: true,
      error: { code: 'sgp02_peer_unreachable' },
    });
  });

  it("an SM-DP's HandleProfileDownloadedNotification records the new profile with its SM-DP", async () => {
    const eid = eids[1]!;
    const iccid = '8988247999000000033';
    const r = await post(
      message(SMDP, 'ES2-HandleProfileDownloadedNotification', [
        ['Eid', eid],
        ['Iccid', iccid],
        ['CompletionTimestamp', new Date().toISOString()],
      ]),
    );
    expect(r.status).toBe(202);
    expect(await w.knex('profiles').where({ iccid }).first()).toMatchObject({
      eid,
      state: 'disabled',
      platform_id: 'smdp-1',
    });
    // An SM-SR is not an SM-DP: the same notification from it is refused.
    await unchanged(async () => {
      const other = await post(
        message(SMSR1, 'ES2-HandleProfileDownloadedNotification', [
          ['Eid', eid],
          ['Iccid', '8988247999000000041'],
        ]),
      );
      expect(other.status).toBe(403);
    });
  });

  it('an answer whose EIS cannot be read is refused, and the operation keeps waiting', async () => {
    const eid = eids[0]!;
    await w.faults({ dropNextResponse: true });
    const { op } = await w.run(eid, 'audit', {}, { waitMs: 200 });
    expect(op.state).toBe('sent');
    await unchanged(async () => {
      const r = await post(
        message(
          SMSR1,
          'ES4-AuditEISResponse',
          [
            ['FunctionExecutionStatus', [['Status', 'EXECUTED_SUCCESS']]],
            ['Eis', [['RemainingMemory', '1']]],
          ],
          op.correlationId!,
        ),
      );
      expect(r.status).toBe(400);
      expect(r.text).toContain('sgp02_invalid_eis');
    });
  });
});
