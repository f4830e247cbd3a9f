import { InvalidArgumentError } from 'commander';

/** An integer option within [min, max]; anything else stops the command with a clear message. */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?[0-9]+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/** A repeatable option, collected in order. */
export const list = (value: string, previous: string[] = []) => [...previous, value];

/** `--peer <EntityId>=<ES7 URL>`, repeatable. */
export function peer(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([0-2](?:\.[0-9]+)+)=(https?:\/\/\S+)$/.exec(value);
  if (!m)
    throw new InvalidArgumentError(
      'expected <EntityId>=<ES7 URL>, e.g. 1.3.6.1.4.1.99999.22=http://127.0.0.1:9001/es7',
    );
  return { ...previous, [m[1]!]: m[2]! };
}

/** `--basic-auth <user:password>`. */
export function basicAuth(value: string): { username: string; password: string } {
  const i = value.indexOf(':');
  if (i < 1) throw new InvalidArgumentError('expected <user>:<password>');
  return { username: value.slice(0, i), password: value.slice(i + 1) };
}
