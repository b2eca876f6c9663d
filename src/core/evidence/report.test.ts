import { CONTROL_CATALOG, CRITERIA_GAPS } from '../controls';
import { CLASS_COLUMNS, controlCsv, evidenceCsv, populationMatches, reportHtml, rfc3339Nano, type ReportControl } from './report';

const row = (line: string, labels: Record<string, string> = {}) => ({ timeNs: '1764504042801827992', labels, line });

describe('evidence files', () => {
  it('names each line by its exact nanosecond time', () => {
    expect(rfc3339Nano('1764504042801827992')).toBe('2025-11-30T12:00:42.801827992Z');
    expect(rfc3339Nano('1764504042000000005')).toBe('2025-11-30T12:00:42.000000005Z');
  });

  it('writes RFC 4180 CSV: quotes, commas and line breaks quoted, nothing lost', () => {
    const csv = evidenceCsv([row('a "quoted", line\nwith a break', { dst_service: 'cart' })]);
    const [header, record] = csv.split('\r\n');
    expect(header.split(',')[0]).toBe('time');
    expect(record).toContain(',cart,');
    expect(csv).toContain('"a ""quoted"", line\nwith a break"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('keeps a spreadsheet from running a formula from a log line, but leaves "-" (unknown) as it is', () => {
    const csv = evidenceCsv([row('=HYPERLINK("http://evil")', { src_workload: '-', dst_service: '@cmd' })]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain(",'@cmd,");
    expect(csv).toMatch(/,-,/);
  });

  it('escapes names in the HTML report, so no script runs from a control or a query', () => {
    const control: ReportControl = {
      id: 'X',
      criterion: 'CC6.1',
      title: '<script>alert(1)</script>',
      status: 'pass',
      measured: 1,
      evidenceCount: 1,
      detail: '<img src=x onerror=alert(1)>',
    };
    const html = reportHtml({
      generatedAt: 'now',
      loki: 'http://loki',
      fromMs: 0,
      toMs: 1,
      controls: [control],
      anomalies: 'Not run',
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;');
  });

  it('calls a population evidence only when it is the evidence count', () => {
    const base: ReportControl = {
      id: 'X',
      criterion: 'CC6.1',
      title: 't',
      status: 'pass',
      measured: 0,
      evidenceCount: 2,
      detail: '',
    };
    const evidence = {
      controlId: 'X',
      queries: [],
      fromMs: 0,
      toMs: 1,
      linesRead: 2,
      lokiRequests: 1,
      stats: { totalBytesProcessed: 0, totalLinesProcessed: 0, execTime: 0 },
    };
    expect(populationMatches({ ...base, evidence: { ...evidence, rows: [row('a'), row('b')] } })).toBe(true);
    expect(populationMatches({ ...base, evidence: { ...evidence, rows: [row('a')] } })).toBe(false);
    expect(populationMatches({ ...base, evidenceCount: 0 })).toBe(true);
    expect(populationMatches(base)).toBe(false);
  });
});

describe('a retention control', () => {
  it('hands over its class table as CSV, and its population is the classes it judged', () => {
    const classes = [
      {
        name: 'mesh-access',
        status: 'range-too-short',
        requiredDays: 365,
        configured: '365d',
        configuredBasis: 'rule {log_type="access"} priority 1',
        oldestDay: '2026-11-30',
        daysWithoutData: 0,
        reason: 'widen, the range',
      },
      {
        name: 'mesh-audit',
        status: 'gap',
        requiredDays: 400,
        configured: '400d',
        configuredBasis: 'rule',
        oldestDay: null,
        daysWithoutData: 1,
        reason: '=no data',
      },
    ];
    const control: ReportControl = {
      id: 'C1.1-retention-kept',
      criterion: 'C1.1',
      title: 't',
      status: 'fail',
      measured: 0,
      evidenceCount: 2,
      detail: '',
      table: { columns: CLASS_COLUMNS, rows: classes },
    };
    expect(controlCsv(control).split('\r\n')).toEqual([
      'name,status,requiredDays,configured,configuredBasis,oldestDay,daysWithoutData,reason',
      'mesh-access,range-too-short,365,365d,"rule {log_type=""access""} priority 1",2026-11-30,0,"widen, the range"',
      "mesh-audit,gap,400,400d,rule,,1,'=no data",
      '',
    ]);
    expect(populationMatches(control)).toBe(true);
    expect(populationMatches({ ...control, evidenceCount: 3 })).toBe(false);
  });
});

describe('the report names what it does not evidence', () => {
  it('lists every criterion gap, and none the catalog covers', () => {
    const html = reportHtml({
      generatedAt: 'now',
      loki: 'http://loki',
      fromMs: 0,
      toMs: 1,
      controls: [],
      anomalies: 'Not run',
    });
    for (const gap of CRITERIA_GAPS) {
      expect(html).toContain(gap.criteria);
    }
    const listed = CRITERIA_GAPS.flatMap((g) => g.criteria.split(/,\s*/));
    for (const control of CONTROL_CATALOG) {
      expect({ criterion: control.criterion, listedAsGap: listed.includes(control.criterion) }).toEqual({
        criterion: control.criterion,
        listedAsGap: false,
      });
    }
  });
});
