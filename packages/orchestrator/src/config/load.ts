import { readFileSync } from 'node:fs';
import Value from 'typebox/value';
import { ConfigSchema, type Config } from './schema.js';

/** A configuration that cannot be used; `message` has one line per bad key, naming it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { key: string; problem: string }[]) {
    super(problems.map((p) => `configuration: ${p.key} ${p.problem}`).join('\n'));
  }
}

const keys = Object.keys(ConfigSchema.properties) as (keyof Config)[];

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([
      { key: 'CONFIG_FILE', problem: `cannot be read (${path}): ${(e as Error).message}` },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([
      { key: 'CONFIG_FILE', problem: `is not valid JSON (${path}): ${(e as Error).message}` },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([{ key: 'CONFIG_FILE', problem: `must hold a JSON object of settings (${path})` }]);
  }
  const unknown = Object.keys(parsed).filter((k) => !(keys as string[]).includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((k) => ({
        key: k,
        problem: `is not a setting (in ${path}); settings are ${keys.join(', ')}`,
      })),
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * The one typed configuration of the product: the optional JSON file named by CONFIG_FILE,
 * overridden key by key by the environment. Empty environment values count as unset.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = env.CONFIG_FILE ? readFile(env.CONFIG_FILE) : {};
  for (const key of keys) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const value = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, structuredClone(raw))) as Record<
    string,
    unknown
  >;
  const problems = new Map<string, string>();
  for (const err of Value.Errors(ConfigSchema, value)) {
    const key = err.instancePath.replace(/^\//, '');
    if (problems.has(key)) continue;
    const schema = ConfigSchema.properties[key as keyof Config] as { hint?: string } | undefined;
    problems.set(key, `is ${JSON.stringify(raw[key])}: expected ${schema?.hint ?? err.message}`);
  }
  if (problems.size > 0) throw new ConfigError([...problems].map(([key, problem]) => ({ key, problem })));
  return value as Config;
}
