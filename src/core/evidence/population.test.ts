import { LokiClient } from '../loki/client';
import type { LokiRequest } from '../loki/types';
import { DEFAULT_POLICY } from '../policy';
import { DEFAULT_LABEL_NAMES } from '../query';
import { EvidencePaginationError, exportControlEvidence, oneLinePerRequest, readEvidencePopulation, type EvidenceLine } from './population';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';

const MS = BigInt(1_000_000);
const FROM = Date.UTC(2026, 10, 30, 12);
const TO = FROM + 3_600_000;

interface StoredLine {
  ns: bigint;
  labels: Record<string, string>;
  line: string;
}

/**
 * Loki's paging as the conformance suite saw it on a real Loki: forward, `start` inclusive and
 * `end` exclusive (both in ns), at most `limit` lines, oldest first.
 */
function lokiOver(lines: StoredLine[]) {
  const loki = new FakeLokiTransport().on('/loki/api/v1/query_range', (req: LokiRequest) => {
    const start = BigInt(String(req.params.start));
    const end = BigInt(String(req.params.end));
    const limit = Number(req.params.limit);
    const page = lines
      .filter((l) => l.ns >= start && l.ns < end)
      .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0))
      .slice(0, limit);
    const result = page.map((l) => ({ stream: l.labels, values: [[String(l.ns), l.line]] }));
    return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result, stats: { summary: { totalLinesProcessed: 10, totalBytesProcessed: 100, execTime: 0.01 } } } }) };
  });
  return { loki, client: new LokiClient(loki) };
}

const side = (direction: string, dst_service: string, i: number) => ({
  labels: { cluster: 'east', namespace: 'shop', service_name: direction === 'inbound' ? dst_service : 'web', direction, dst_service, dst_namespace: 'shop' },
  line: `${direction} ${dst_service} #${i}`,
});

const query = (limit: number) => [{ name: 'CC6.1-authz-denials/logs', expr: '{log_type="access"} | json | authz="deny"', limit }];

describe('readEvidencePopulation', () => {
  it('reads every line across pages, lines sharing the boundary millisecond neither lost nor doubled', async () => {
    // 25 requests, each logged by both sides; six lines share a millisecond, so pages of 7 end mid-millisecond.
    const lines: StoredLine[] = [];
    for (let i = 0; i < 25; i++) {
      const ms = BigInt(FROM + 1000 + Math.floor(i / 3));
      lines.push({ ns: ms * MS + BigInt(i), ...side('inbound', 'cart', i) });
      lines.push({ ns: ms * MS + BigInt(i) + BigInt(1), ...side('outbound', 'cart', i) });
    }
    const { loki, client } = lokiOver(lines);
    const got = await readEvidencePopulation({ client, queries: query(7), fromMs: FROM, toMs: TO, clusterLabel: 'cluster' });
    expect(got.linesRead).toBe(50);
    expect(got.rows).toHaveLength(25);
    expect(got.rows.every((r) => r.labels.direction === 'inbound')).toBe(true);
    expect(new Set(got.rows.map((r) => r.line)).size).toBe(25);
    expect(got.lokiRequests).toBe(loki.requests.length);
    expect(got.lokiRequests).toBeGreaterThan(50 / 7);
    expect(got.stats.totalLinesProcessed).toBe(10 * got.lokiRequests);
    expect(loki.requests.every((r) => r.params.direction === 'forward' && r.params.limit === '7')).toBe(true);
  });

  it("keeps (from, to]: a line at the range's start is outside, a line at its end inside, as count_over_time counts them", async () => {
    const lines: StoredLine[] = [
      { ns: BigInt(FROM) * MS, ...side('inbound', 'cart', 1) },
      { ns: BigInt(FROM) * MS + BigInt(1), ...side('inbound', 'cart', 2) },
      { ns: BigInt(TO) * MS, ...side('inbound', 'cart', 3) },
      { ns: BigInt(TO) * MS + BigInt(1), ...side('inbound', 'cart', 4) },
    ];
    const { client } = lokiOver(lines);
    const got = await readEvidencePopulation({ client, queries: query(100), fromMs: FROM, toMs: TO, clusterLabel: 'cluster' });
    expect(got.rows.map((r) => r.line)).toEqual(['inbound cart #2', 'inbound cart #3']);
  });

  it('says so instead of looping when more lines than a page share one millisecond', async () => {
    const lines = Array.from({ length: 6 }, (_, i) => ({ ns: BigInt(FROM + 5) * MS + BigInt(i), ...side('inbound', 'cart', i) }));
    const { client } = lokiOver(lines);
    const read = readEvidencePopulation({ client, queries: query(3), fromMs: FROM + 5, toMs: TO, clusterLabel: 'cluster' });
    await expect(read).rejects.toThrow(EvidencePaginationError);
    await expect(readEvidencePopulation({ client, queries: query(3), fromMs: FROM + 5, toMs: TO, clusterLabel: 'cluster' })).rejects.toThrow(
      /More than 3 evidence lines .* fall in one millisecond/
    );
  });

  it('keeps a line two pipeline queries both return once', async () => {
    const lines = [{ ns: BigInt(FROM + 9) * MS, ...side('inbound', 'cart', 1) }];
    const { client } = lokiOver(lines);
    const queries = [
      { name: 'x/logs', profile: 'istio-text' as const, expr: '{mesh="istio"}', limit: 10 },
      { name: 'x/logs', profile: 'istio-json' as const, expr: '{mesh="istio"} | json', limit: 10 },
    ];
    const got = await readEvidencePopulation({ client, queries, fromMs: FROM, toMs: TO, clusterLabel: 'cluster' });
    expect(got.rows).toHaveLength(1);
  });

  it('refuses a metric answer to a log query with the query named', async () => {
    const loki = new FakeLokiTransport().on('/loki/api/v1/query_range', {
      status: 200,
      body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }),
    });
    await expect(readEvidencePopulation({ client: new LokiClient(loki), queries: query(10), fromMs: FROM, toMs: TO, clusterLabel: 'cluster' })).rejects.toThrow(
      'The evidence query "CC6.1-authz-denials/logs" returned matrix'
    );
  });
});

describe('oneLinePerRequest', () => {
  const line = (direction: string | undefined, dst: string, i: number, cluster = 'east'): EvidenceLine => ({
    timeNs: String(BigInt(FROM + i) * MS),
    labels: { cluster, dst_service: dst, dst_namespace: 'shop', ...(direction ? { direction } : {}) },
    line: `${i}`,
  });

  it("takes per callee the side that logged more, inbound on a tie, and every line that names no side", () => {
    const lines = [
      line('inbound', 'cart', 1),
      line('outbound', 'cart', 2),
      line('outbound', 'cart', 3),
      line('inbound', 'pay', 4),
      line('outbound', 'pay', 5),
      line(undefined, 'cart', 6),
      line('inbound', 'cart', 7, 'west'),
    ];
    expect(oneLinePerRequest(lines, 'cluster').map((l) => l.line)).toEqual(['2', '3', '4', '6', '7']);
  });
});

describe('exportControlEvidence', () => {
  it("reads the control's drill-down queries from the one plan and reports them for re-running", async () => {
    const { loki, client } = lokiOver([{ ns: BigInt(FROM + 9) * MS, ...side('inbound', 'cart', 1) }]);
    const settings = { logSource: { kind: 'normalized' as const }, labelNames: DEFAULT_LABEL_NAMES, policy: DEFAULT_POLICY };
    const got = await exportControlEvidence({ client, settings, controlId: 'CC6.1-authz-denials', fromMs: FROM, toMs: TO });
    expect(got.queries).toHaveLength(1);
    expect(got.queries[0].expr).toContain('authz="deny"');
    expect(loki.requests.map((r) => r.params.query)).toEqual([got.queries[0].expr]);
    expect(loki.requests[0].params.limit).toBe('5000');
    expect(got.rows).toHaveLength(1);
    await expect(exportControlEvidence({ client, settings, controlId: 'CC9.9-nope', fromMs: FROM, toMs: TO })).rejects.toThrow('unknown control "CC9.9-nope"');
  });
});
