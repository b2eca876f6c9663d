/** @jest-environment node */
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCliOptions, CliError } from './cli-options';
import { followTick, main } from './main';
import { generate } from './generate';
import { BACKFILL_MARKER, LogWriter } from './writer';
import { fileLine } from './layout';

describe('loggen command line', () => {
  it('parses the documented flags', () => {
    expect(parseCliOptions(['--out', '/var/log/mesh', '--seed', '7', '--rate', '2.5', '--backfill', '24h', '--follow'])).toEqual({
      seed: 7,
      out: '/var/log/mesh',
      rate: 2.5,
      follow: true,
      backfillMs: 24 * 3_600_000,
      start: null,
      durationMs: null,
      help: false,
    });
  });

  it.each([
    [['--out', 'x', '--seed', 'abc'], /--seed: expected an integer/],
    [['--out', 'x', '--rate=-1'], /--rate: expected requests per second/],
    [['--out', 'x', '--backfill', '1 day'], /--backfill: expected a duration such as 30m/],
    [['--seed', '1'], /exactly one of --out DIR or --stdout/],
    [['--out', 'x', '--start', 'yesterday', '--duration', '1h'], /--start: expected an RFC 3339 time/],
    [['--out', 'x', '--start', '2026-01-01T00:00:00Z'], /--start and --duration go together/],
    [['--out', 'x', '--start', '2026-01-01T00:00:00Z', '--duration', '1h', '--follow'], /do not combine with --follow/],
    [['--out', 'x', '--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseCliOptions(argv)).toThrow(CliError);
    expect(() => parseCliOptions(argv)).toThrow(message);
  });

  it('writes the layout of README.md: one file per pod or VM dataplane, identical to generate()', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loggen-'));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['--out', out, '--seed', '3', '--rate', '2', '--start', '2026-11-24T10:00:00Z', '--duration', '3m']);
    stderr.mockRestore();
    expect(code).toBe(0);
    expect(existsSync(join(out, BACKFILL_MARKER))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['.backfill-done', '.loggen-state.json', 'prod-eu', 'prod-us', 'vm-fleet']);
    const expected = [...generate({ seed: 3, start: Date.UTC(2026, 10, 24, 10), durationMs: 180_000, ratePerSecond: 2 })];
    const files = [...new Set(expected.map((l) => l.file))];
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const file of files) {
      const written = readFileSync(join(out, file), 'utf8').trimEnd().split('\n');
      expect(written).toEqual(expected.filter((l) => l.file === file).map(fileLine));
    }
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['--rate', 'fast', '--stdout'])).toBe(2);
    expect(String(stderr.mock.calls[0][0])).toMatch(/^loggen: --rate: .*\n\nloggen: writes realistic/s);
    stderr.mockRestore();
  });
});

describe('LogWriter', () => {
  it('remembers where a seed stopped, for --follow to resume without duplicates', () => {
    const out = mkdtempSync(join(tmpdir(), 'loggen-writer-'));
    const writer = new LogWriter(out);
    expect(writer.resumeFrom(1)).toBeNull();
    writer.saveCursor(1, 1_764_000_000_000);
    expect(writer.resumeFrom(1)).toBe(1_764_000_000_000);
    // Another seed's traffic is different: its cursor means nothing for this one.
    expect(writer.resumeFrom(2)).toBeNull();
  });

  it('ignores a damaged state file instead of failing', () => {
    const out = mkdtempSync(join(tmpdir(), 'loggen-writer-'));
    writeFileSync(join(out, '.loggen-state.json'), '{"seed": 1, "cursorMs": ');
    expect(new LogWriter(out).resumeFrom(1)).toBeNull();
  });

  it('appends each batch to the right file in order', () => {
    const out = mkdtempSync(join(tmpdir(), 'loggen-writer-'));
    const writer = new LogWriter(out);
    const a = [...generate({ seed: 1, start: Date.UTC(2026, 0, 1), durationMs: 20_000 })];
    const b = [...generate({ seed: 1, start: Date.UTC(2026, 0, 1) + 20_000, durationMs: 20_000 })];
    expect(writer.write(a) + writer.write(b)).toBe(a.length + b.length);
    const frontend = [...a, ...b].find((l) => l.workload === 'frontend')!.file;
    const written = readFileSync(join(out, frontend), 'utf8').trimEnd().split('\n');
    expect(written).toEqual([...a, ...b].filter((l) => l.file === frontend).map(fileLine));
    expect(written[0]).toMatch(/^2026-01-01T00:00:\d\d(\.\d+)?Z stdout F \[2026-01-01T/);
  });
});

describe('--follow', () => {
  it('writes each second once, in order, and keeps the cursor for a restart', () => {
    const out = mkdtempSync(join(tmpdir(), 'loggen-follow-'));
    const writer = new LogWriter(out);
    const options = parseCliOptions(['--out', out, '--seed', '4', '--rate', '3', '--follow']);
    const t0 = Date.UTC(2026, 10, 24, 9);
    let cursor = t0;
    // Ticks arrive late, early and twice for the same second, as timers do.
    for (const now of [t0 + 1_400, t0 + 1_900, t0 + 5_020, t0 + 5_020, t0 + 12_999]) {
      cursor = followTick(writer, options, cursor, now);
    }
    expect(cursor).toBe(t0 + 12_000);
    expect(writer.resumeFrom(4)).toBe(t0 + 12_000);
    const expected = [...generate({ seed: 4, start: t0, durationMs: 12_000, ratePerSecond: 3 })];
    for (const file of new Set(expected.map((l) => l.file))) {
      expect(readFileSync(join(out, file), 'utf8').trimEnd().split('\n')).toEqual(
        expected.filter((l) => l.file === file).map(fileLine)
      );
    }
  });
});
