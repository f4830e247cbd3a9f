export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
/** The GSMA namespace of the ES elements (the v3 schemas; docs/INTERPRETATION.md). */
export const RPS_NS = 'http://namespaces.gsma.org/esim-messaging/3';
export const SOAP_CONTENT_TYPE = 'application/soap+xml';
