/**
 * What a real shipper pushed, against what loggen wrote: every written line must arrive once, in
 * the stream of its writer (the six stream labels), at its request's own timestamp, with the
 * record `normalizeLine` makes of it with those labels — the check loggen/verify-shipped.ts makes
 * against a real Loki, here on the pushes themselves (bench/promtail-pipeline's stand-in endpoint).
 */
import type { GeneratedLine } from '../../../loggen/generate';
import { normalizeLine } from '../../../src/core/profiles';
import { STREAM_LABELS } from '../../../src/core/schema';
import type { PushedEntry } from './loki-push';

export interface ShippedCheck {
  written: number;
  pushed: number;
  equal: number;
  differ: number;
  missing: number;
  extra: number;
  problems: string[];
}

const keyOf = (l: Record<string, string | null | undefined>) =>
  STREAM_LABELS.map((n) => `${n}=${l[n] ?? ''}`).join(',');

/** Nanoseconds since the epoch of an RFC 3339 UTC time, keeping digits below the millisecond. */
function rfc3339Ns(text: string): string {
  const m = /^(.*?)(?:[.](\d+))?Z$/.exec(text)!;
  return `${BigInt(Date.parse(`${m[1]}Z`)) * BigInt(1_000_000) + BigInt((m[2] ?? '').padEnd(9, '0'))}`;
}

export function checkShipped(generated: GeneratedLine[], pushed: PushedEntry[]): ShippedCheck {
  const at = new Map<string, string[]>();
  for (const p of pushed) {
    const k = `${keyOf(p.labels)}@${p.ns}`;
    at.set(k, [...(at.get(k) ?? []), p.line]);
  }
  const result: ShippedCheck = {
    written: generated.length,
    pushed: pushed.length,
    equal: 0,
    differ: 0,
    missing: 0,
    extra: 0,
    problems: [],
  };
  const note = (text: string) => result.problems.length < 5 && result.problems.push(text);
  for (const p of pushed) {
    if (Object.keys(p.labels).some((l) => !(STREAM_LABELS as readonly string[]).includes(l))) {
      note(`labels beyond the stream labels: ${JSON.stringify(p.labels)}`);
    }
  }
  for (const g of generated) {
    const labels = {
      platform: g.platform,
      cluster: g.cluster,
      mesh: g.mesh,
      namespace: g.namespace,
      log_type: 'access',
      service_name: g.workload,
    };
    const parsed = normalizeLine(g.line, { format: g.format, context: { labels } });
    const want = JSON.stringify(parsed.ok ? parsed.record : null);
    const ns =
      parsed.ok && parsed.record.timestamp
        ? rfc3339Ns(parsed.record.timestamp)
        : `${BigInt(g.timeMs) * BigInt(1_000_000)}`;
    const there = at.get(`${keyOf(labels)}@${ns}`) ?? [];
    const i = there.findIndex((line) => JSON.stringify(JSON.parse(line)) === want);
    if (i >= 0) {
      there.splice(i, 1);
      result.equal++;
    } else if (there.length > 0) {
      result.differ++;
      note(`${g.file}: pushed ${there.shift()!.slice(0, 300)}\n    expected ${want.slice(0, 300)}`);
    } else {
      result.missing++;
      note(`${g.file}: nothing pushed in its stream at ${ns} for ${g.line.slice(0, 200)}`);
    }
  }
  result.extra = [...at.values()].reduce((n, rest) => n + rest.length, 0);
  return result;
}

/**
 * How many entries of two runs have no byte-identical twin (same stream, time and line) in the
 * other. An entry stamped at or after its run's `readSince` (nanoseconds) carries the time
 * Promtail read it (an error record without a valid timestamp): its time is left out of the key.
 */
export function byteDifferences(
  a: PushedEntry[],
  b: PushedEntry[],
  readSince: [bigint, bigint] = [BigInt(-1), BigInt(-1)]
): number {
  const count = new Map<string, number>();
  const key = (p: PushedEntry, since: bigint) =>
    `${keyOf(p.labels)}@${since >= 0 && BigInt(p.ns) >= since ? 'read' : p.ns}\t${p.line}`;
  a.forEach((p) => count.set(key(p, readSince[0]), (count.get(key(p, readSince[0])) ?? 0) + 1));
  b.forEach((p) => count.set(key(p, readSince[1]), (count.get(key(p, readSince[1])) ?? 0) - 1));
  return [...count.values()].reduce((n, c) => n + Math.abs(c), 0);
}
