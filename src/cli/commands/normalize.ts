/**
 * `mesh-audit normalize [--format auto|<profile>] [--label key=value]...`: access-log lines on
 * stdin, one common-schema JSON record per input line on stdout, in order. A line that cannot be
 * parsed (empty lines included, so output line N always answers input line N) becomes
 * `{"line": N, "error": "..."}` and the stream goes on. Reads line by line: input of any size.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { PROFILE_NAMES, type ProfileName } from '../../core/schema';
import { isProfileName, normalizeLine, type LineContext } from '../../core/profiles';
import { UsageError, type CliIO } from '../io';
import { registerCommand } from '../main';

export const FORMAT_CHOICES = ['auto', ...PROFILE_NAMES] as const;

const USAGE =
  'mesh-audit normalize [--format auto|<profile>] [--label key=value]... < access.log\n' +
  `       profiles: ${PROFILE_NAMES.join(', ')}\n` +
  '       --label sets a stream label of the pod that wrote the lines (namespace, pod, app, workload)';

function parseFormat(value: string | undefined): ProfileName | 'auto' {
  const format = value ?? 'auto';
  if (format !== 'auto' && !isProfileName(format)) {
    throw new UsageError(`unknown --format ${JSON.stringify(format)}; valid: ${FORMAT_CHOICES.join(', ')}`);
  }
  return format;
}

/** `--label namespace=shop`: the stream labels of the pod that wrote the lines (fills the proxy's side). */
function parseLabels(values: string[] | undefined): LineContext | undefined {
  if (!values || values.length === 0) {
    return undefined;
  }
  const labels: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--label expects key=value, got ${JSON.stringify(pair)}`);
    }
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { labels };
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string', short: 'f' }, label: { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    throw new UsageError(`normalize reads stdin and takes no arguments, got ${JSON.stringify(positionals[0])}`);
  }
  const format = parseFormat(values.format);
  const context = parseLabels(values.label);

  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  // A reader that stops early (`| head`) closes the pipe: stop quietly, as Unix tools do.
  let outputError: (Error & { code?: string }) | undefined;
  const onOutputError = (error: Error) => {
    outputError = error;
    lines.close();
  };
  io.stdout.on('error', onOutputError);
  let n = 0;
  let failed = 0;
  try {
    for await (const line of lines) {
      if (outputError) {
        break;
      }
      n++;
      const result = normalizeLine(line, { format, context });
      if (!result.ok) {
        failed++;
      }
      const out = result.ok ? JSON.stringify(result.record) : JSON.stringify({ line: n, error: result.error });
      if (!io.stdout.write(out + '\n')) {
        await once(io.stdout, 'drain').catch(() => undefined);
      }
    }
  } finally {
    io.stdout.off('error', onOutputError);
  }
  if (outputError) {
    if (outputError.code === 'EPIPE') {
      return 0;
    }
    throw outputError;
  }
  if (failed > 0) {
    io.stderr.write(
      `mesh-audit normalize: ${failed} of ${n} lines could not be normalised (see the {"line","error"} records)\n`
    );
  }
  return 0;
}

registerCommand({
  name: 'normalize',
  summary: 'turn mesh access-log lines (stdin) into common-schema JSON records (stdout)',
  usage: USAGE,
  run,
});
