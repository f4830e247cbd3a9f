import Type, { type Static } from 'typebox';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = (def: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: def, description, hint: 'an integer from 0 to 65535' });

/**
 * Every setting of the product, named as its environment variable. `hint` is what a person
 * who typed a wrong value needs to read; the validator prints it next to the key.
 */
export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description: 'PostgreSQL URL; when unset, the embedded database (PGlite) in DATA_DIR',
      hint: 'a postgres:// or postgresql:// URL',
    }),
  ),
  DATA_DIR: Type.String({
    minLength: 1,
    default: './data',
    description: 'Folder of the embedded database and generated keys',
    hint: 'a folder path',
  }),
  MQTT_URL: Type.Optional(
    Type.String({
      pattern: '^(mqtts?|wss?|tcp)://',
      description: 'MQTT broker URL; when unset, an embedded in-process broker',
      hint: 'an mqtt://, mqtts://, ws:// or wss:// URL',
    }),
  ),
  EMBEDDED_MQTT_PORT: port(
    1884,
    'Port of the embedded MQTT broker (used when MQTT_URL is unset; 0 = any free port)',
  ),
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: 'Address the API listens on',
    hint: 'an IP address or host name',
  }),
  PORT: port(8080, 'Port of the API (0 = any free port)'),
  SGP02_ENTITY_ID: Type.String({
    pattern: '^[0-2](\\.[0-9]+)+$',
    default: '1.3.6.1.4.1.99999.10',
    description:
      'SGP.02 EntityId (OID) of the orchestrator as function requester on ES2/ES4 (wsa:From); SM-SRs and SM-DPs authorise it',
    hint: 'a dotted OID, e.g. 1.3.6.1.4.1.99999.10',
  }),
  PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        'Base URL at which SM-SRs and SM-DPs reach the orchestrator (SGP.02 ReplyTo and notifications); default the API URL',
      hint: 'an http:// or https:// URL',
    }),
  ),
  SGP02_RECOVERY_AFTER_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 86400,
    default: 120,
    description:
      'SGP.02: after this many seconds without an answer, an ES4.AuditEIS of the eUICC checks whether the request took effect (a lost callback)',
    hint: 'an integer number of seconds from 1 to 86400',
  }),
  LOG_LEVEL: Type.Union(
    logLevels.map((l) => Type.Literal(l)),
    { default: 'info', description: 'Log level', hint: `one of ${logLevels.join(', ')}` },
  ),
});

export type Config = Static<typeof ConfigSchema>;
