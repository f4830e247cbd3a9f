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
  ESIPA_COAP_PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description:
        'UDP port of ESipa over CoAP (coap://HOST:port/gsma/rsp2/asn1; 0 = any free port); unset: no CoAP',
      hint: 'an integer from 0 to 65535',
    }),
  ),
  ESIPA_MQTT: Type.Boolean({
    default: false,
    description:
      'ESipa over MQTT on the broker (MQTT_URL or the embedded one): IPAs publish on <ESIPA_MQTT_TOPIC>/<EID>/up',
    hint: 'true or false',
  }),
  ESIPA_MQTT_TOPIC: Type.String({
    pattern: '^[^#+$/][^#+]*[^/#+]$',
    default: 'esipa/v1',
    description: 'Topic prefix of ESipa over MQTT (up, down, error and wake topics per EID below it)',
    hint: 'an MQTT topic without wildcards, leading $ or slashes at either end',
  }),
  ES9PLUS_SCHEME: Type.Union([Type.Literal('https'), Type.Literal('http')], {
    default: 'https',
    description:
      "Scheme of the eIM's ES9+' calls to the SM-DP+ of a download (indirect profile download); http only for a simulated SM-DP+",
    hint: 'https or http',
  }),
  ES9PLUS_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: 30_000,
    description: "Timeout of each ES9+' call to an SM-DP+, in milliseconds",
    hint: 'a positive integer',
  }),
  DEFAULT_SMDP_ADDRESS: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'SM-DP+ address (FQDN[:port]) for indirect downloads whose trigger names none (contactDefaultSmdp)',
      hint: 'a host name, optionally with :port',
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
  ESIPA_LOG_LEVEL: Type.Union(
    logLevels.map((l) => Type.Literal(l)),
    {
      default: 'warn',
      description: 'Log level of ESipa HTTP request logs (one per IPA poll at info)',
      hint: `one of ${logLevels.join(', ')}`,
    },
  ),
  OPERATION_POLL_MS: Type.Integer({
    minimum: 10,
    default: 500,
    description:
      'How often the operation worker looks for due operations (it is also woken when one is created)',
    hint: 'an integer of milliseconds, at least 10',
  }),
  CAMPAIGN_POLL_MS: Type.Integer({
    minimum: 10,
    default: 1000,
    description:
      'How often the campaign runner dispatches running campaigns (it is also woken when one starts)',
    hint: 'an integer of milliseconds, at least 10',
  }),
  OPERATION_LEASE_SECONDS: Type.Integer({
    minimum: 1,
    default: 30,
    description:
      'How long a worker holds an operation while handing it to its stack; after a crash another worker takes it over then',
    hint: 'an integer of seconds, at least 1',
  }),
  OPERATION_RETRY_BASE_MS: Type.Integer({
    minimum: 1,
    default: 2000,
    description: 'First retry delay of a retryable failure; it doubles with each attempt',
    hint: 'an integer of milliseconds',
  }),
  OPERATION_RETRY_MAX_MS: Type.Integer({
    minimum: 1,
    default: 3_600_000,
    description: 'Longest retry delay',
    hint: 'an integer of milliseconds',
  }),
  OPERATION_DEFAULT_VALIDITY_SECONDS: Type.Integer({
    minimum: 1,
    default: 86_400,
    description: 'Validity period of an operation that does not give one: after it, the operation expires',
    hint: 'an integer of seconds',
  }),
  IDEMPOTENCY_KEY_TTL_HOURS: Type.Integer({
    minimum: 1,
    default: 24,
    description: 'How long an Idempotency-Key is remembered; after it the same key starts a new request',
    hint: 'an integer of hours, at least 1',
  }),
  EVENTS_MQTT_TOPIC: Type.String({
    pattern: '^[^#+]+[^/#+]$',
    default: 'esim/v1/events',
    description: 'Topic prefix of event intake over MQTT: events arrive on <prefix>/<source>/<type>',
    hint: 'an MQTT topic without wildcards or trailing slash',
  }),
  EVENTS_MQTT_CLIENT_ID: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9._-]{1,64}$',
      description:
        'MQTT client id of event intake; its persistent session keeps events while the instance is down. Default: derived from host, database and port',
      hint: '1 to 64 letters, digits, dots, dashes or underscores',
    }),
  ),
  WEBHOOK_POLL_MS: Type.Integer({
    minimum: 10,
    default: 1000,
    description: 'How often webhook deliveries that are due are sent',
    hint: 'an integer of milliseconds, at least 10',
  }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({
    minimum: 1,
    default: 5000,
    description: 'First retry delay of a failed webhook delivery; it doubles with each attempt',
    hint: 'an integer of milliseconds',
  }),
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    default: 10,
    description: 'Attempts before a webhook delivery is marked failed',
    hint: 'an integer, at least 1',
  }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: 10_000,
    description: 'How long a subscriber may take to answer a delivery',
    hint: 'an integer of milliseconds',
  }),
  EXTRA_MODULES: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Comma-separated paths of extra AppModules (ES modules exporting `module`), started before the built-in ones: a third stack, a test peer',
      hint: 'comma-separated module file paths',
    }),
  ),
});

export type Config = Static<typeof ConfigSchema>;
