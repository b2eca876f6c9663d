import { DataFrameType } from '@grafana/data';
import { parseQueryResponse } from '../../core/loki/parse/parseQueryResponse';
import type { AccessRecord } from '../../core/schema';
import { controlsFrame } from './controlsFrame';
import { DAY_MS } from '../../core/frames';
import { retentionFrame, retentionRows } from './retentionFrame';
import { logsFrame, type Normalize } from './logsFrame';
import { readLokiFixture } from '../../../test/support/fixtures';


describe('controls frame', () => {
  it('has one row per control with status, evidence count, measured value and last evidence time', () => {
    const frame = controlsFrame(
      [
        { id: 'CC6.7-mtls', criterion: 'CC6.7', title: 'mTLS in strict namespaces', status: 'fail', evidenceCount: 12, measured: 0.97, lastEvidenceMs: 1700000000000, detail: '12 plaintext' },
        { id: 'CC7.2-coverage', criterion: 'CC7.2', title: 'Required services log', status: 'no-evidence', evidenceCount: 0, measured: null, lastEvidenceMs: null, detail: '' },
      ],
      'B'
    );
    expect(frame.name).toBe('controls');
    expect(frame.length).toBe(2);
    const get = (n: string) => frame.fields.find((f) => f.name === n)!.values;
    expect(get('status')).toEqual(['fail', 'no-evidence']);
    expect(get('evidence_count')).toEqual([12, 0]);
    expect(get('measured')).toEqual([0.97, null]);
    expect(get('last_evidence')).toEqual([1700000000000, null]);
  });
});

describe('retention rows', () => {
  const cls = { name: 'mesh-access', selector: { log_type: 'access' }, retentionDays: 365 };
  const day0 = Date.UTC(2026, 10, 20);

  it('puts every day of the range in a row and marks days without lines as gaps', () => {
    const rows = retentionRows(
      cls,
      [
        { metric: { namespace: 'a' }, values: [[day0 + DAY_MS, 10], [day0 + 3 * DAY_MS, 5]] },
        { metric: { namespace: 'b' }, values: [[day0 + DAY_MS, 2]] },
      ],
      { fromMs: day0 + 1000, toMs: day0 + 3 * DAY_MS }
    );
    expect(rows.map((r) => [r.dayMs - day0, r.lines, r.covered])).toEqual([
      [0, 12, true],
      [DAY_MS, 0, false],
      [2 * DAY_MS, 5, true],
    ]);
    expect(rows.every((r) => r.requiredDays === 365 && r.logClass === 'mesh-access')).toBe(true);
  });

  it('ignores NaN points instead of counting them', () => {
    const rows = retentionRows(cls, [{ metric: {}, values: [[day0 + DAY_MS, NaN]] }], { fromMs: day0, toMs: day0 + DAY_MS });
    expect(rows).toEqual([{ logClass: 'mesh-access', dayMs: day0, lines: 0, covered: false, requiredDays: 365 }]);
  });

  it('makes a frame named retention', () => {
    const frame = retentionFrame(retentionRows(cls, [], { fromMs: day0, toMs: day0 + 2 * DAY_MS }));
    expect(frame.name).toBe('retention');
    expect(frame.length).toBe(2);
    expect(frame.fields.map((f) => f.name)).toEqual(['log_class', 'day', 'lines', 'covered', 'required_days']);
  });
});

describe('logs frame', () => {
  const response = parseQueryResponse(readLokiFixture('query_range_streams.json'));
  if (response.resultType !== 'streams') {
    throw new Error('fixture is not streams');
  }
  const record = { mesh: 'istio', format: 'istio-json', direction: 'outbound', src_workload: 'productpage-v1', dst_service: 'reviews', status: 503, response_flags: ['UF', 'URX'], mtls: 'mtls' } as unknown as AccessRecord;

  it('makes a log-lines frame with labels from the normalised record', () => {
    const normalize: Normalize = (line) => (line.includes('labels') ? { ok: true, record: { ...record } } : { ok: false, error: 'no profile matched' });
    const frame = logsFrame(response.result, normalize, 'C');
    expect(frame.meta?.type).toBe(DataFrameType.LogLines);
    expect(frame.meta?.preferredVisualisationType).toBe('logs');
    const get = (n: string) => frame.fields.find((f) => f.name === n)!.values;
    const total = response.result.reduce((n, s) => n + s.entries.length, 0);
    expect(frame.length).toBe(total);
    expect(new Set(get('id')).size).toBe(total);
    const labels = get('labels') as Array<Record<string, string>>;
    const parsed = labels.find((l) => l.src_workload === 'productpage-v1');
    expect(parsed).toMatchObject({ status: '503', response_flags: 'UF,URX', mtls: 'mtls' });
    // A line no profile understands keeps its stream labels and says why.
    expect(labels.some((l) => l.parse_error === 'no profile matched')).toBe(true);
    // Newest first, by exact nanosecond string.
    const ns = get('tsNs') as string[];
    expect([...ns].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1))).toEqual(ns);
  });
});
