/** Command-line options of `loggen`, parsed with node:util parseArgs and checked with clear messages. */
import { parseArgs } from 'node:util';
import { parseDuration } from '../src/core/logql/duration';
import { DEFAULT_RATE } from './generate';

export interface CliOptions {
  seed: number;
  out: string | null;
  rate: number;
  follow: boolean;
  backfillMs: number;
  /** Fixed window instead of "backfill up to now" (for reproducible files). */
  start: number | null;
  durationMs: number | null;
  help: boolean;
}

export const USAGE = `loggen: writes realistic service-mesh access logs (Istio, Linkerd, Consul, Kuma)

  loggen --out DIR [--seed N] [--rate R] [--backfill 24h] [--follow]
  loggen --stdout --start 2026-01-01T00:00:00Z --duration 1h [--seed N] [--rate R]

  --out DIR        write <DIR>/<cluster>/pods/<ns>_<pod>_<uid>/<container>/0.log and
                   <DIR>/<cluster>/vms/<ns>/<workload>/<format>.log (see loggen/README.md)
  --stdout         print the lines instead, as JSON objects with their cluster/mesh/format
  --seed N         PRNG seed (default 42): the same seed writes the same traffic
  --rate R         mean requests per second over the estate (default ${DEFAULT_RATE})
  --backfill D     first write the last D of history (e.g. 30m, 24h; default 0)
  --follow         then keep writing in real time until stopped
  --start T        instead of now-backfill: RFC 3339 start of a fixed window (needs --duration)
  --duration D     length of the fixed window
`;

export class CliError extends Error {}

function duration(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new CliError(`${flag}: expected a duration such as 30m, 24h or 7d, got ${JSON.stringify(text)}`);
  }
}

export function parseCliOptions(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        out: { type: 'string' },
        stdout: { type: 'boolean' },
        rate: { type: 'string' },
        follow: { type: 'boolean' },
        backfill: { type: 'string' },
        start: { type: 'string' },
        duration: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (values.help) {
    return { seed: 42, out: null, rate: DEFAULT_RATE, follow: false, backfillMs: 0, start: null, durationMs: null, help: true };
  }
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) {
    throw new CliError(`--seed: expected an integer, got ${JSON.stringify(values.seed)}`);
  }
  const rate = values.rate === undefined ? DEFAULT_RATE : Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000) {
    throw new CliError(`--rate: expected requests per second in (0, 10000], got ${JSON.stringify(values.rate)}`);
  }
  if (Boolean(values.out) === Boolean(values.stdout)) {
    throw new CliError('give exactly one of --out DIR or --stdout');
  }
  const start = values.start === undefined ? null : Date.parse(values.start);
  if (start !== null && (!Number.isFinite(start) || !/\d{4}-\d\d-\d\dT/.test(values.start ?? ''))) {
    throw new CliError(`--start: expected an RFC 3339 time such as 2026-01-01T00:00:00Z, got ${JSON.stringify(values.start)}`);
  }
  const durationMs = values.duration === undefined ? null : duration('--duration', values.duration);
  if ((start === null) !== (durationMs === null)) {
    throw new CliError('--start and --duration go together');
  }
  if (start !== null && (values.follow || values.backfill)) {
    throw new CliError('--start/--duration write a fixed window; they do not combine with --follow or --backfill');
  }
  return {
    seed,
    out: values.out ?? null,
    rate,
    follow: Boolean(values.follow),
    backfillMs: values.backfill === undefined ? 0 : duration('--backfill', values.backfill),
    start,
    durationMs,
    help: false,
  };
}
