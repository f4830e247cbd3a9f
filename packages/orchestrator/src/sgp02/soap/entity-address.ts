/**
 * SGP.02 names the function requester and provider by EntityId (an OID). The SOAP binding carries
 * it as a query parameter of the WS-Addressing address (`http://host/es4?EntityId=1.3.6...`), as
 * seen on the wire (../shared/SGP02.md section 2; docs/INTERPRETATION.md).
 */
export function entityAddress(url: string, entityId: string): string {
  const u = new URL(url);
  u.searchParams.set('EntityId', entityId);
  return u.toString();
}

/** The EntityId of a wsa:From / wsa:To address, or undefined when it names none. */
export function entityIdOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const query = address.includes('?') ? address.slice(address.indexOf('?') + 1) : '';
  return new URLSearchParams(query).get('EntityId') ?? undefined;
}
