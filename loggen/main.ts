/**
 * `loggen` command line: writes the generator's lines to files (or stdout), optionally a backfill
 * of history first and then in real time. Built to dist-loggen/loggen.cjs by `npm run build:loggen`.
 */
import { generateAudit } from './audit';
import { generate, type GenerateOptions } from './generate';
import { CliError, parseCliOptions, USAGE, type CliOptions } from './cli-options';
import { LogWriter } from './writer';

/** Backfill is written in slices, so memory stays flat however long the history is. */
const SLICE_MS = 60_000;

const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

function writeRange(writer: LogWriter, options: CliOptions, startMs: number, endMs: number): number {
  let written = 0;
  for (let s = startMs; s < endMs; s += SLICE_MS) {
    const slice: GenerateOptions = { seed: options.seed, start: s, durationMs: Math.min(SLICE_MS, endMs - s), ratePerSecond: options.rate };
    written += writer.write(generate(slice)) + writer.write(generateAudit(slice));
    writer.saveCursor(options.seed, s + slice.durationMs);
  }
  return written;
}

function printRange(options: CliOptions, startMs: number, durationMs: number): void {
  // A closed pipe (`| head`) ends the output quietly, as other Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  for (const l of generate({ seed: options.seed, start: startMs, durationMs, ratePerSecond: options.rate })) {
    process.stdout.write(JSON.stringify(l) + '\n');
  }
}

/** One tick of --follow: writes the whole seconds between the cursor and now; returns the new cursor. */
export function followTick(writer: LogWriter, options: CliOptions, cursorMs: number, nowMs: number): number {
  const now = floorSecond(nowMs);
  if (now <= cursorMs) {
    return cursorMs;
  }
  writeRange(writer, options, cursorMs, now);
  return now;
}

async function follow(writer: LogWriter, options: CliOptions, fromMs: number): Promise<never> {
  let cursor = fromMs;
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    cursor = followTick(writer, options, cursor, Date.now());
    if (stopping) {
      process.exit(0);
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (e) {
    process.stderr.write(`loggen: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const now = floorSecond(Date.now());
  const start = options.start ?? now - options.backfillMs;
  const durationMs = options.durationMs ?? options.backfillMs;
  if (options.out === null) {
    printRange(options, start, durationMs);
    return 0;
  }
  const writer = new LogWriter(options.out);
  // After a restart, continue from the saved cursor (bounded by the backfill horizon) so no
  // line is written twice and no second is skipped.
  const resumed = options.follow ? writer.resumeFrom(options.seed) : null;
  const from = resumed !== null && resumed >= start && resumed <= now ? resumed : start;
  const written = writeRange(writer, options, from, start + durationMs);
  writer.markBackfillDone();
  process.stderr.write(`loggen: wrote ${written} lines to ${options.out} (seed ${options.seed})\n`);
  if (options.follow) {
    await follow(writer, options, Math.max(from, start + durationMs));
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`loggen: ${e instanceof CliError ? e.message : (e as Error).stack}\n`);
      process.exitCode = 1;
    }
  );
}
