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
  EIM_ID: Type.String({
    minLength: 1,
    maxLength: 128,
    default: 'eim.esim.local',
    description: "Our eimId (SGP.32): named in every eUICC package and in the eUICCs' eIM configuration",
    hint: 'a string of 1 to 128 characters, usually an FQDN or OID',
  }),
  EIM_FQDN: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Where IPAs reach the eIM (eimFqdn of the EimConfigurationData handed to devices)',
      hint: 'a host name, optionally with :port',
    }),
  ),
  EIM_KEY_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "PEM file of the eIM's ECDSA P-256 signing key; with EIM_CERT_FILE. Unset: generated on first start in DATA_DIR/eim",
      hint: 'a path to a PEM private key (SEC1 or PKCS#8)',
    }),
  ),
  EIM_CERT_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: "PEM or DER certificate of the eIM's signing key; with EIM_KEY_FILE",
      hint: 'a path to an X.509 certificate',
    }),
  ),
  EIM_TRUSTED_CI_FILES: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Comma-separated CI certificate files (PEM or DER) that eUICC certificate chains must end in. Unset: the SGP.26 test CI (NIST) and the CI of the simulators in DATA_DIR',
      hint: 'comma-separated file paths',
    }),
  ),
  ESIPA_PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'A separate port for ESipa (IPAs); unset: ESipa is served on the API port',
      hint: 'an integer from 0 to 65535',
    }),
  ),
  ESIPA_TLS_CERT_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'PEM server certificate (chain) of the separate ESipa listener; with ESIPA_TLS_KEY_FILE it serves HTTPS',
      hint: 'a path to a PEM certificate',
    }),
  ),
  ESIPA_TLS_KEY_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'PEM private key of ESIPA_TLS_CERT_FILE',
      hint: 'a path to a PEM private key',
    }),
  ),
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
  LOG_LEVEL: Type.Union(
    logLevels.map((l) => Type.Literal(l)),
    { default: 'info', description: 'Log level', hint: `one of ${logLevels.join(', ')}` },
  ),
});

export type Config = Static<typeof ConfigSchema>;
