import { randomBytes } from 'node:crypto';
import type { App } from '@esim/orchestrator';
import { testMqttUrl } from '@esim/orchestrator/testing';

/** How the simulated IPA reaches the eIM: the product's settings, the `--eim` URL, the simulator's options. */
export interface EsipaTransport {
  config: Record<string, string>;
  eimUrl: (app: App) => string;
  simArgs: string[];
}

export type EsipaTransportName = 'http' | 'coap' | 'mqtt';

/**
 * ESipa over HTTP (the API URL), CoAP (an ephemeral UDP port) or MQTT v5 through the real broker
 * (TEST_MQTT_URL) behind a topic prefix of its own: both database kinds share the broker.
 */
export function esipaTransport(name: EsipaTransportName): EsipaTransport {
  switch (name) {
    case 'http':
      return { config: {}, eimUrl: (app) => app.urls.api, simArgs: [] };
    case 'coap':
      return {
        config: { ESIPA_COAP_PORT: '0' },
        eimUrl: (app) => app.urls.esipaCoap!,
        simArgs: ['--transport', 'coap'],
      };
    case 'mqtt':
      return {
        config: {
          MQTT_URL: testMqttUrl(),
          ESIPA_MQTT: 'true',
          ESIPA_MQTT_TOPIC: `esipa-e2e/${randomBytes(4).toString('hex')}`,
        },
        eimUrl: (app) => app.urls.esipaMqtt!,
        simArgs: ['--transport', 'mqtt'],
      };
  }
}
