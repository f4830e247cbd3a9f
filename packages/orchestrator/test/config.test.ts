import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('falls back to the embedded defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.MQTT_URL).toBeUndefined();
    expect(c).toMatchObject({
      DATA_DIR: './data',
      HOST: '127.0.0.1',
      PORT: 8080,
      EMBEDDED_MQTT_PORT: 1884,
      LOG_LEVEL: 'info',
    });
  });

  it('reads and converts environment values', () => {
    const c = loadConfig({
      PORT: '3000',
      DATABASE_URL: 'postgres://u@db:5432/esim',
      MQTT_URL: 'mqtts://broker:8883',
      LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'postgres://u@db:5432/esim',
      MQTT_URL: 'mqtts://broker:8883',
      LOG_LEVEL: 'debug',
    });
  });

  it('reads the ESipa CoAP and MQTT switches, and refuses bad ones', () => {
    expect(loadConfig({})).toMatchObject({ ESIPA_MQTT: false, ESIPA_MQTT_TOPIC: 'esipa/v1' });
    expect(loadConfig({}).ESIPA_COAP_PORT).toBeUndefined();
    expect(loadConfig({ ESIPA_COAP_PORT: '5683', ESIPA_MQTT: 'true' })).toMatchObject({
      ESIPA_COAP_PORT: 5683,
      ESIPA_MQTT: true,
    });
    const message = problemsOf({
      ESIPA_MQTT: 'maybe',
      ESIPA_MQTT_TOPIC: 'esipa/+/x',
      ESIPA_COAP_PORT: '70000',
    });
    expect(message).toMatch(/ESIPA_MQTT is "maybe": expected true or false/);
    expect(message).toMatch(/ESIPA_MQTT_TOPIC is "esipa\/\+\/x": expected an MQTT topic without wildcards/);
    expect(message).toMatch(/ESIPA_COAP_PORT is "70000"/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'configuration: PORT is "abc": expected an integer from 0 to 65535'],
    [{ PORT: '70000' }, 'configuration: PORT is "70000": expected an integer from 0 to 65535'],
    [
      { EMBEDDED_MQTT_PORT: '-1' },
      'configuration: EMBEDDED_MQTT_PORT is "-1": expected an integer from 0 to 65535',
    ],
    [
      { DATABASE_URL: 'mysql://x' },
      'configuration: DATABASE_URL is "mysql://x": expected a postgres:// or postgresql:// URL',
    ],
    [
      { MQTT_URL: 'http://broker' },
      'configuration: MQTT_URL is "http://broker": expected an mqtt://, mqtts://, ws:// or wss:// URL',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'configuration: LOG_LEVEL is "loud": expected one of fatal, error, warn, info, debug, trace, silent',
    ],
  ])('names the key and the problem: %o', (env, line) => {
    expect(problemsOf(env)).toBe(line);
  });

  it('gives one line per bad key', () => {
    const message = problemsOf({ PORT: 'x', LOG_LEVEL: 'y' });
    expect(message.split('\n')).toHaveLength(2);
    expect(message).toMatch(/^configuration: PORT /m);
    expect(message).toMatch(/^configuration: LOG_LEVEL /m);
  });

  describe('from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esim-config-'));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('is overridden key by key by the environment', () => {
      const path = file('ok.json', JSON.stringify({ PORT: 9000, LOG_LEVEL: 'warn' }));
      expect(loadConfig({ CONFIG_FILE: path, LOG_LEVEL: 'error' })).toMatchObject({
        PORT: 9000,
        LOG_LEVEL: 'error',
      });
    });

    it('rejects an unknown key, naming it', () => {
      const path = file('unknown.json', JSON.stringify({ PROT: 9000 }));
      expect(problemsOf({ CONFIG_FILE: path })).toMatch(/^configuration: PROT is not a setting/);
    });

    it('rejects a file that is not JSON', () => {
      const path = file('bad.json', '{ PORT: ');
      expect(problemsOf({ CONFIG_FILE: path })).toMatch(/^configuration: CONFIG_FILE is not valid JSON/);
    });

    it('rejects a missing file', () => {
      expect(problemsOf({ CONFIG_FILE: join(dir, 'nope.json') })).toMatch(
        /^configuration: CONFIG_FILE cannot be read/,
      );
    });

    it('validates values from the file like values from the environment', () => {
      const path = file('badvalue.json', JSON.stringify({ PORT: 'eighty' }));
      expect(problemsOf({ CONFIG_FILE: path })).toBe(
        'configuration: PORT is "eighty": expected an integer from 0 to 65535',
      );
    });
  });
});
