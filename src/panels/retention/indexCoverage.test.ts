import { DAY_MS } from '../../core/frames';
import { retentionLimitsOf } from '../../core/retention/configured';
import { dayRange } from '../../core/retention/coverage';
import { evaluateRetention } from '../../core/retention/evaluate';
import { retentionIndexFrame } from '../../datasource/frames/retentionFrame';
import { FrameShapeError } from '../frames/findFrame';
import { isIndexFrame, summarizeIndexCoverage, weekRows } from './indexCoverage';
import { summarizeCoverage } from './coverage';

// A Monday, so the week rows start on the range's first day.
const FROM = Date.UTC(2026, 10, 2);
const classes = [
  { name: 'access', selector: { log_type: 'access' }, retentionDays: 365 },
  { name: 'audit', selector: { log_type: 'audit' }, retentionDays: 400 },
];
const stamp = (i: number) => FROM + (i + 1) * DAY_MS - 1;
const limits = retentionLimitsOf(
  { retention_period: '31d', retention_stream: [{ selector: '{log_type="access"}', priority: 1, period: '1y' }] },
  'Loki'
);

function indexFrame(days: number, gapLink?: (c: string, d: number) => string) {
  const series = [
    {
      metric: { log_type: 'access' },
      values: Array.from({ length: days }, (_, i): [number, number] => [stamp(i), i === 3 ? 0 : 2048]),
    },
  ];
  return retentionIndexFrame(
    evaluateRetention(classes, series, limits, dayRange(FROM, FROM + days * DAY_MS)),
    undefined,
    gapLink
  );
}

describe('summarizeIndexCoverage', () => {
  it("shows the data source's status, the three numbers and each gap day", () => {
    const frame = indexFrame(10);
    expect(isIndexFrame(frame)).toBe(true);
    const [access, audit] = summarizeIndexCoverage(frame, FROM + 10 * DAY_MS);
    expect(access).toMatchObject({
      status: 'gap',
      requiredDays: 365,
      configured: '365d',
      observedDays: 10,
      oldestMs: FROM,
      gapDays: 1,
    });
    expect(access.days.filter((d) => d.gap).map((d) => d.dayMs)).toEqual([FROM + 3 * DAY_MS]);
    expect(access.days[0].seen).toBe('2 KiB in the index');
    expect(audit).toMatchObject({ status: 'configured-short', configured: '31d', observedDays: 0, oldestMs: null });
    expect(audit.reason).toContain('retention_period');
  });

  it('links each gap day to the lines around it, and no other day', () => {
    const [access] = summarizeIndexCoverage(
      indexFrame(5, (c, d) => `/explore?${c}@${d}`),
      FROM + 5 * DAY_MS
    );
    expect(access.days.map((d) => d.href)).toEqual([
      undefined,
      undefined,
      undefined,
      `/explore?access@${FROM + 3 * DAY_MS}`,
      undefined,
    ]);
  });

  it('refuses a status it does not know rather than showing it as passing', () => {
    const frame = indexFrame(2);
    const status = frame.fields.find((f) => f.name === 'status')!;
    (status.values as string[])[0] = 'fine';
    expect(() => summarizeIndexCoverage(frame)).toThrow(FrameShapeError);
  });

  it('a line-count frame is not read as an index frame', () => {
    const frame = indexFrame(2);
    frame.fields = frame.fields.filter((f) => f.name !== 'status');
    expect(isIndexFrame(frame)).toBe(false);
    expect(summarizeCoverage(frame, 0.1)).toHaveLength(2);
  });
});

describe('weekRows', () => {
  it('lays 400 days out as 58 Monday-first weeks', () => {
    const [c] = summarizeIndexCoverage(indexFrame(400));
    const rows = weekRows(c.days);
    expect(rows).toHaveLength(58);
    expect(rows[0].weekMs).toBe(FROM);
    expect(rows.every((r) => new Date(r.weekMs).getUTCDay() === 1)).toBe(true);
    expect(rows.flatMap((r) => r.days).filter(Boolean)).toHaveLength(400);
    expect(rows[57].days.filter(Boolean)).toHaveLength(400 - 57 * 7);
  });
});
