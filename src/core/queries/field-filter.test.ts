/** @jest-environment node */
import { DEFAULT_POLICY, type LoggingPolicy } from '../policy';
import { eq, labelFilter, logQuery, renderLogql, selector } from '../logql';
import { fieldFiltersExpr, filtersKeep, policyListsUsed, recordLineFilters, type FieldFilter } from './field-filter';

const POLICY: LoggingPolicy = { ...DEFAULT_POLICY, strictMtlsNamespaces: ['payments'], requiredServices: ['checkout'] };

describe('filtersKeep decides as Loki does', () => {
  const keep = (filters: FieldFilter[], labels: Record<string, string>) => filtersKeep(filters, labels, POLICY);

  it('compares strings exactly; a missing field is the empty string', () => {
    expect(keep([{ field: 'mtls', is: 'mtls' }], { mtls: 'mtls' })).toBe(true);
    expect(keep([{ field: 'mtls', is: 'mtls' }], { mtls: 'MTLS' })).toBe(false);
    expect(keep([{ field: 'mtls', isNot: 'mtls' }], {})).toBe(true);
    expect(keep([{ field: 'dst_namespace', inPolicyList: 'strictMtlsNamespaces' }], { dst_namespace: 'payments' })).toBe(true);
    expect(keep([{ field: 'dst_namespace', isOneOf: ['a', 'b'] }], { dst_namespace: 'a|b' })).toBe(false);
  });

  it('compares numbers as Go floats; a value that is no number drops the line even where another branch matches', () => {
    const server = { field: 'status', compare: '>=', value: 500 } as const;
    expect(keep([server], { status: '503' })).toBe(true);
    expect(keep([server], { status: '499' })).toBe(false);
    expect(keep([server], { status: '5e2' })).toBe(true);
    expect(keep([server], { status: '+Inf' })).toBe(true);
    expect(keep([server], {})).toBe(false);
    // `status >= 500 or authz="deny"`: Loki sets __error__ on "-" and the final __error__="" drops the line.
    expect(keep([{ anyOf: [server, { field: 'authz', is: 'deny' }] }], { status: '-', authz: 'deny' })).toBe(false);
    // The other order stops at the first kept branch, before the comparison could fail.
    expect(keep([{ anyOf: [{ field: 'authz', is: 'deny' }, server] }], { status: '-', authz: 'deny' })).toBe(true);
    expect(keep([{ field: 'status', compare: '!=', value: 200 }], { status: 'NaN' })).toBe(true);
  });
});

describe('unexpected callers (policy.allowedCallers)', () => {
  const policy: LoggingPolicy = { ...POLICY, allowedCallers: { 'payments-api': ['checkout', 'orders-api'], ledger: ['payments-api'] } };
  const unexpected: FieldFilter[] = [{ callerNotIn: 'allowedCallers' }];
  const keep = (labels: Record<string, string>) => filtersKeep(unexpected, labels, policy);

  it('writes one branch per listed service, its callers excluded', () => {
    expect(renderLogql(logQuery(selector(eq('log_type', 'access')), labelFilter(fieldFiltersExpr(unexpected, policy)!)))).toBe(
      '{log_type="access"} | (dst_service="payments-api" and src_workload!~"checkout|orders-api") or (dst_service="ledger" and src_workload!="payments-api")'
    );
    expect(policyListsUsed(unexpected)).toEqual(['allowedCallers']);
    expect(() => fieldFiltersExpr(unexpected, POLICY)).toThrow(/policy.allowedCallers is empty/);
  });

  it('keeps a listed service\'s other and unnamed callers, and nothing into services the policy does not list', () => {
    expect(keep({ dst_service: 'payments-api', src_workload: 'checkout' })).toBe(false);
    expect(keep({ dst_service: 'payments-api', src_workload: 'recommendations' })).toBe(true);
    // No caller on the line is no proof of an allowed one.
    expect(keep({ dst_service: 'ledger' })).toBe(true);
    expect(keep({ dst_service: 'catalog', src_workload: 'anyone' })).toBe(false);
  });
});

describe('recordLineFilters', () => {
  const patterns = (filters: FieldFilter[], policy = POLICY) =>
    recordLineFilters(filters, policy).map((stage) => new RegExp(stage.kind === 'lineFilter' && 'regex' in stage && 'pattern' in stage.regex ? stage.regex.pattern : '(no pattern)'));
  /** A line passes the prefilters whenever the exact filters keep its record, whatever the JSON spacing. */
  const expectSuperset = (filters: FieldFilter[], records: Array<Record<string, unknown>>) => {
    const res = patterns(filters);
    expect(res.length).toBeGreaterThan(0);
    for (const record of records) {
      const labels = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === null ? '' : String(v)]));
      for (const line of [JSON.stringify(record), JSON.stringify(record, null, 1)]) {
        const passes = res.every((re) => re.test(line));
        expect({ record, passes, kept: filtersKeep(filters, labels, POLICY) }).toEqual({ record, passes, kept: passes && filtersKeep(filters, labels, POLICY) });
        if (filtersKeep(filters, labels, POLICY)) {
          expect({ line, passes }).toEqual({ line, passes: true });
        }
      }
    }
    return res;
  };

  it('keeps every line with a 5xx status and parses few others', () => {
    const records = [500, 503, 599, 600, 999, 1000, 52000, '504', '0503', 200, 404, 499, 0, 50, null].map((status) => ({ dst_service: 'a', status, mtls: 'mtls' }));
    const [re] = expectSuperset([{ field: 'status', compare: '>=', value: 500 }], records);
    expect(records.filter((r) => re.test(JSON.stringify(r))).map((r) => r.status)).toEqual([500, 503, 599, 600, 999, 1000, 52000, '504', '0503']);
  });

  it('keeps every line with the listed values, an exact status, or any branch of anyOf', () => {
    const records = [
      { dst_namespace: 'payments', mtls: 'plaintext', authz: 'deny', status: 403 },
      { dst_namespace: 'payments', mtls: 'plaintext', status: 401 },
      { dst_namespace: 'payments', mtls: 'plaintext', status: 4010 },
      { dst_namespace: 'shop', mtls: 'mtls', status: 429 },
      { dst_namespace: 'paymentsx', mtls: 'plaintext', authz: 'allow', status: 200 },
    ];
    expectSuperset([{ field: 'dst_namespace', inPolicyList: 'strictMtlsNamespaces' }], records);
    expectSuperset(
      [
        { field: 'mtls', is: 'plaintext' },
        { anyOf: [{ field: 'authz', is: 'deny' }, { field: 'status', compare: '==', value: 401 }, { field: 'status', compare: '==', value: 429 }] },
      ],
      records
    );
  });

  it('gives no prefilter where the line text cannot show the match', () => {
    expect(recordLineFilters([{ field: 'mtls', isNot: 'mtls' }], POLICY)).toEqual([]);
    expect(recordLineFilters([{ field: 'authz', is: '' }], POLICY)).toEqual([]);
    expect(recordLineFilters([{ field: 'dst_service', is: 'a&b' }], POLICY)).toEqual([]);
    expect(recordLineFilters([{ field: 'status', compare: '>', value: 0 }], POLICY)).toEqual([]);
    expect(recordLineFilters([{ anyOf: [{ field: 'authz', is: 'deny' }, { field: 'mtls', isNot: 'mtls' }] }], POLICY)).toEqual([]);
  });
});
