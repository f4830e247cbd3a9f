import type { Command } from 'commander';
import { cli } from '@esim/asn1';

/** Data errors (bad hex, malformed DER, invalid JSON, unknown type) get one line and exit code 2. */
function run(action: () => void): void {
  try {
    action();
  } catch (e) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}

export function register(program: Command): void {
  const asn1 = program
    .command('asn1')
    .description('Decode and encode SGP.32 / SGP.22 ASN.1 (DER) messages, e.g. to debug an IPA or an eIM.');

  asn1
    .command('decode')
    .description(
      'Decode DER as <type> and print it as JSON (OCTET STRINGs as hex, OIDs dotted, named bits as names, ' +
        'unknown extensions as $extensions/$unknown hex). Input: hex, base64, @file (raw DER or text) or - for stdin.',
    )
    .argument(
      '<type>',
      'type name, e.g. GetEimPackageResponse or RSPDefinitions.EUICCInfo2 (see "asn1 types")',
    )
    .argument('<input>', 'hex | base64 | hex:... | base64:... | @file | -')
    .option(
      '--strict',
      'reject the lenient readings of docs/INTERPRETATION.md (e.g. non-minimal named BIT STRINGs)',
    )
    .option('--compact', 'print the JSON on one line')
    .option('--max-depth <n>', 'maximum TLV nesting depth', (v) => parseInt(v, 10))
    .option('--max-size <bytes>', 'maximum input size in bytes', (v) => parseInt(v, 10))
    .action(
      (
        type: string,
        input: string,
        o: { strict?: boolean; compact?: boolean; maxDepth?: number; maxSize?: number },
      ) =>
        run(() => {
          const r = cli.decodeCommand(type, input, o);
          for (const n of r.notes) process.stderr.write(`${n}\n`);
          process.stdout.write(`${r.json}\n`);
        }),
    );

  asn1
    .command('encode')
    .description(
      'Encode the JSON value of <type> (the form "asn1 decode" prints) as DER and print it as hex.',
    )
    .argument('<type>', 'type name (see "asn1 types")')
    .argument('<input>', 'JSON text | @file | -')
    .action((type: string, input: string) =>
      run(() => process.stdout.write(`${cli.encodeCommand(type, input)}\n`)),
    );

  asn1
    .command('types')
    .description(
      'List the type names, module-qualified (SGP32Definitions, RSPDefinitions, SGP32v10Definitions, PKIX...). ' +
        'A plain name resolves to the SGP.32 v1.2 type where SGP.32 and SGP.22 both define it.',
    )
    .argument('[filter]', 'only names containing this text (case-insensitive)')
    .action((filter?: string) => run(() => process.stdout.write(`${cli.typesCommand(filter)}\n`)));
}
