import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  encodeEnvelope,
  encodeFault,
  SoapDecodeError,
} from '../../src/sgp02/soap/envelope.js';
import { entityAddress, entityIdOf } from '../../src/sgp02/soap/entity-address.js';
import { child, children, text } from '../../src/sgp02/soap/xml.js';
import { parseExecutionStatus } from '../../src/sgp02/status.js';
import { parseEis } from '../../src/sgp02/eis.js';
import { parseElementName } from '../../src/sgp02/functions.js';

const addressing = {
  from: 'http://127.0.0.1:8080/sgp02/es4?EntityId=1.3.6.1.4.1.99999.10',
  to: 'http://smsr/es4?EntityId=1.3.6.1.4.1.99999.20',
  messageId: '//1.3.6.1.4.1.99999.10/urn:uuid:1',
  action: 'http://gsma.com/ES4/ProfileManagement/ES4-EnableProfileRequest',
  replyTo: 'http://127.0.0.1:8080/sgp02/es4',
};

describe('SGP.02 SOAP envelope', () => {
  it('emits SOAP 1.2 with WS-Addressing headers and the ES element as the Body, in order', () => {
    const xml = encodeEnvelope(addressing, 'ES4-EnableProfileRequest', [
      ['FunctionCallIdentifier', 'op-1'],
      ['Eid', '89049032000010000000001000000000'],
      ['Iccid', '8988247000000000011'],
    ]);
    expect(xml).toContain('xmlns:env="http://www.w3.org/2003/05/soap-envelope"');
    expect(xml).toContain('xmlns:wsa="http://www.w3.org/2005/08/addressing"');
    expect(xml).toContain(
      '<wsa:From><wsa:Address>http://127.0.0.1:8080/sgp02/es4?EntityId=1.3.6.1.4.1.99999.10</wsa:Address></wsa:From>',
    );
    expect(xml).toMatch(
      /<env:Body><rps:ES4-EnableProfileRequest><rps:FunctionCallIdentifier>op-1<\/rps:FunctionCallIdentifier><rps:Eid>[0-9]+<\/rps:Eid><rps:Iccid>/,
    );
    expect(xml.indexOf('wsa:From')).toBeLessThan(xml.indexOf('wsa:To'));
    expect(xml.indexOf('wsa:MessageID')).toBeLessThan(xml.indexOf('wsa:ReplyTo'));
  });

  it('reads back what it writes, escaping text', () => {
    const xml = encodeEnvelope(addressing, 'ES4-X', [
      ['Message', 'a < b & "c"'],
      ['Nested', [['Leaf', '1']]],
    ]);
    const parsed = decodeEnvelope(xml);
    expect(parsed.kind).toBe('message');
    if (parsed.kind !== 'message') return;
    expect(parsed.message.addressing).toEqual(addressing);
    expect(parsed.message.bodyName).toBe('ES4-X');
    expect(text(parsed.message.body, 'Message')).toBe('a < b & "c"');
    expect(text(child(parsed.message.body, 'Nested'), 'Leaf')).toBe('1');
  });

  it('reads leniently: other prefixes, casing quirks, repeated elements', () => {
    const xml = `<?xml version="1.0"?>
      <S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:g="http://namespaces.gsma.org/esim-messaging/1">
        <S:Header><a:RelatesTo>m-1</a:RelatesTo><a:From><a:Address>http://x?EntityId=1.2.3</a:Address></a:From></S:Header>
        <S:Body><g:ES2-HandleProfileEnabledNotification>
          <g:Eid>8904</g:Eid><g:SmSr-id>1.2</g:SmSr-id><g:completionTimestamp>2026-01-01T00:00:00Z</g:completionTimestamp>
          <g:Iccid>1</g:Iccid><g:Iccid>2</g:Iccid>
        </g:ES2-HandleProfileEnabledNotification></S:Body></S:Envelope>`;
    const parsed = decodeEnvelope(xml);
    if (parsed.kind !== 'message') throw new Error('expected a message');
    expect(parsed.message.addressing.relatesTo).toBe('m-1');
    expect(entityIdOf(parsed.message.addressing.from)).toBe('1.2.3');
    expect(text(parsed.message.body, 'Smsr-id')).toBe('1.2');
    expect(text(parsed.message.body, 'CompletionTimestamp')).toBe('2026-01-01T00:00:00Z');
    expect(children(parsed.message.body, 'Iccid')).toEqual(['1', '2']);
  });

  it('reads SOAP 1.2 and SOAP 1.1 faults, and writes one with our error code', () => {
    const ours = decodeEnvelope(encodeFault({}, { code: 'Sender', subcode: 'forbidden', reason: 'no' }));
    expect(ours).toEqual({ kind: 'fault', fault: { code: 'Sender', subcode: 'forbidden', reason: 'no' } });
    const soap11 = decodeEnvelope(
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Server</faultcode><faultstring>down</faultstring></e:Fault></e:Body></e:Envelope>',
    );
    expect(soap11).toMatchObject({ kind: 'fault', fault: { code: 'Server', reason: 'down' } });
  });

  it.each([
    ['not XML', 'hello'],
    ['unclosed', '<Envelope><Body>'],
    ['mismatched tags', '<Envelope><Body></Envelope></Body>'],
    ['no Envelope', '<Body><X/></Body>'],
    ['no Body', '<Envelope><Header/></Envelope>'],
    ['an empty Body', '<Envelope><Body></Body></Envelope>'],
    ['two Body elements', '<Envelope><Body><A/><B/></Body></Envelope>'],
    ['the same element twice', '<Envelope><Body><A/><A/></Body></Envelope>'],
  ])('refuses %s with a SoapDecodeError', (_name, xml) => {
    expect(() => decodeEnvelope(xml)).toThrow(SoapDecodeError);
  });

  it('refuses a DTD, so a peer cannot make us expand entities', () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY big "AAAAAAAAAAAAAAAA">]><Envelope><Body><A>&big;</A></Body></Envelope>';
    expect(() => decodeEnvelope(xml)).toThrow(/must not contain a DTD/);
  });
});

const bodyOf = (xml: string) => {
  const parsed = decodeEnvelope(xml);
  if (parsed.kind !== 'message') throw new Error('not a message');
  return parsed.message.body;
};

describe('SGP.02 addressing, names, statuses, EIS', () => {
  it('puts the EntityId in the address and reads it back', () => {
    const a = entityAddress('http://h:1/es4?x=1', '1.3.6.1');
    expect(a).toBe('http://h:1/es4?x=1&EntityId=1.3.6.1');
    expect(entityIdOf(a)).toBe('1.3.6.1');
    expect(entityIdOf('http://h/es4')).toBeUndefined();
    expect(entityIdOf(undefined)).toBeUndefined();
  });

  it('splits ES element names', () => {
    expect(parseElementName('ES4-EnableProfileResponse')).toEqual({
      iface: 'ES4',
      name: 'EnableProfile',
      kind: 'Response',
    });
    expect(parseElementName('es2-HandleProfileDownloadedNotification')).toMatchObject({
      iface: 'ES2',
      kind: 'Notification',
    });
    expect(parseElementName('Something')).toBeUndefined();
  });

  it('reads FunctionExecutionStatus in the wire and the prose forms', () => {
    const body = (status: string, data = '') =>
      bodyOf(
        `<Envelope><Body><R><FunctionExecutionStatus><Status>${status}</Status>${data}</FunctionExecutionStatus></R></Body></Envelope>`,
      );
    expect(parseExecutionStatus(body('EXECUTED_SUCCESS'))).toMatchObject({ status: 'EXECUTED_SUCCESS' });
    expect(parseExecutionStatus(body('Executed-WithWarning'))).toMatchObject({
      status: 'EXECUTED_WITHWARNING',
    });
    expect(
      parseExecutionStatus(
        body(
          'FAILED',
          '<StatusCodeData><Subject>8.1.1</Subject><Reason>3.9</Reason><Message>x</Message></StatusCodeData>',
        ),
      ),
    ).toEqual({
      status: 'FAILED',
      subject: '8.1.1',
      reason: '3.9',
      message: 'x',
      subjectIdentifier: undefined,
    });
    expect(parseExecutionStatus(body('DONE'))).toBeUndefined();
  });

  it('reads an EIS into inventory snapshots and refuses one without EID or with a bad profile', () => {
    const eisOf = (inner: string) =>
      child(bodyOf(`<Envelope><Body><R><Eis>${inner}</Eis></R></Body></Envelope>`), 'Eis');
    const eis = parseEis(
      eisOf(
        `<EumSignedInfo><Eid>89abc</Eid><Eum-id>1.2</Eum-id></EumSignedInfo><RemainingMemory>10</RemainingMemory><Smsr-id>1.3</Smsr-id>
         <ProfileInfo><Iccid>8988247000000000011</Iccid><State>Enabled</State><FallbackAttribute>true</FallbackAttribute>
           <SubscriptionAddress><Msisdn>4917</Msisdn></SubscriptionAddress><pol2><Rule><Action>DISABLE</Action><Qualification>Not-Allowed</Qualification></Rule></pol2></ProfileInfo>
         <ProfileInfo><Iccid>8988247000000000029</Iccid><State>Disabled</State></ProfileInfo>`,
      ),
    );
    expect(eis).toMatchObject({
      eid: '89ABC',
      eumId: '1.2',
      smsrEntityId: '1.3',
      platform: { remainingMemory: 10 },
    });
    expect(eis.profiles).toEqual([
      expect.objectContaining({
        iccid: '8988247000000000011',
        state: 'enabled',
        fallback: true,
        msisdn: '4917',
        pol2: [{ action: 'DISABLE', qualification: 'Not-Allowed' }],
      }),
      expect.objectContaining({ iccid: '8988247000000000029', state: 'disabled', fallback: false }),
    ]);
    expect(() => parseEis(eisOf('<RemainingMemory>1</RemainingMemory>'))).toThrow(
      /without EumSignedInfo\/Eid/,
    );
    expect(() =>
      parseEis(
        eisOf(
          '<EumSignedInfo><Eid>89</Eid></EumSignedInfo><ProfileInfo><Iccid>1</Iccid><State>Gone</State></ProfileInfo>',
        ),
      ),
    ).toThrow(/valid Iccid and State/);
  });
});
