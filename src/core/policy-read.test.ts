/** @jest-environment node */
import { DEFAULT_POLICY } from './policy';
import { PolicyError, readPolicy } from './policy-read';

const COMPLETE = {
  logClasses: [{ name: 'access', selector: { log_type: 'access' }, retentionDays: 365 }],
  strictMtlsNamespaces: ['payments'],
  requiredServices: ['checkout'],
  allowedCallers: { 'payments-api': ['checkout'] },
  thresholds: { minMtlsShare: 1, maxErrorShare: 0.05, maxSilenceMinutes: 30, minAvailability: 0.99, maxUnavailableShare: 0.01 },
  auditWindowDays: 365,
};

describe('readPolicy', () => {
  it('reads a complete policy as written, in both modes', () => {
    expect(readPolicy(COMPLETE, 'p.yaml', 'complete')).toEqual({ ...COMPLETE, controls: [] });
    expect(readPolicy(COMPLETE, 'p.yaml', 'partial')).toEqual({ ...COMPLETE, controls: [] });
  });

  it('takes the defaults for what a partial policy leaves out, and requires every key of a complete one', () => {
    const partial = readPolicy(
      { strictMtlsNamespaces: ['payments'], thresholds: { maxErrorShare: 0.01 } },
      'p.yaml',
      'partial'
    );
    expect(partial).toEqual({
      ...DEFAULT_POLICY,
      strictMtlsNamespaces: ['payments'],
      thresholds: { ...DEFAULT_POLICY.thresholds, maxErrorShare: 0.01 },
    });
    const { allowedCallers: _, ...withoutCallers } = COMPLETE;
    expect(() => readPolicy(withoutCallers, 'p.yaml', 'complete')).toThrow('p.yaml: "allowedCallers" is required');
    const { minAvailability: __, ...fewerThresholds } = COMPLETE.thresholds;
    expect(() => readPolicy({ ...COMPLETE, thresholds: fewerThresholds }, 'p.yaml', 'complete')).toThrow(
      '"thresholds.minAvailability" is required'
    );
  });

  it.each([
    [{ ...COMPLETE, allowedCaller: {} }, /unknown key "allowedCaller"/],
    [
      { ...COMPLETE, thresholds: { ...COMPLETE.thresholds, minAvailabilty: 0.9 } },
      /unknown key "thresholds.minAvailabilty"/,
    ],
    [
      { ...COMPLETE, thresholds: { ...COMPLETE.thresholds, minAvailability: 99 } },
      /"thresholds.minAvailability" must be a number between 0 and 1, got 99/,
    ],
    [{ ...COMPLETE, allowedCallers: ['checkout'] }, /"allowedCallers" must map a service/],
    [
      { ...COMPLETE, allowedCallers: { ledger: 'payments-api' } },
      /"allowedCallers.ledger" must be a list of non-empty strings/,
    ],
    [{ ...COMPLETE, allowedCallers: { ledger: [''] } }, /"allowedCallers.ledger" must be a list/],
    [
      { ...COMPLETE, logClasses: [{ name: 'a', selector: { log_type: 'access' }, retentionDays: 30, retention: 1 }] },
      /unknown key "logClasses\[0\]\.retention"/,
    ],
    [{ ...COMPLETE, logClasses: [] }, /"logClasses" must be a non-empty list/],
    [{ ...COMPLETE, auditWindowDays: 0 }, /"auditWindowDays" must be a whole number >= 1/],
    [['not', 'a', 'mapping'], /expected a mapping at the top level/],
  ])('refuses a wrong policy with the key named (%#)', (doc, message) => {
    expect(() => readPolicy(doc, 'p.yaml', 'partial')).toThrow(PolicyError);
    expect(() => readPolicy(doc, 'p.yaml', 'partial')).toThrow(message);
  });
});

describe("a policy's own controls", () => {
  const ADMIN = {
    id: 'CC6.1-admin-paths',
    criterion: 'CC6.1',
    title: 'No request reaches an admin path from outside the ops namespace',
    description: 'Admin endpoints are for the ops namespace only.',
    measure: 'requests to /admin from other namespaces',
    evidence: { kind: 'count', match: [{ field: 'path', is: '/admin' }, { field: 'src_namespace', isNot: 'ops' }] },
    pass: { atMost: { value: 0 } },
    evidenceLogs: [{ field: 'path', is: '/admin' }, { field: 'src_namespace', isNot: 'ops' }],
  };
  const read = (controls: unknown) => readPolicy({ ...COMPLETE, controls }, 'p.yaml', 'complete');

  it('are read as catalog entries of the share and count kinds', () => {
    expect(read([ADMIN]).controls).toEqual([ADMIN]);
    const share = { ...ADMIN, id: 'A1.2-slow', criterion: 'A1.2', evidence: { kind: 'share', match: [{ field: 'duration_ms', compare: '>', value: 1000 }], scope: [], groupBy: ['dst_service'], reduce: 'max' }, pass: { atMost: { policy: 'maxErrorShare' } } };
    expect(read([share]).controls[0].evidence).toEqual(share.evidence);
  });

  it.each([
    [{ ...ADMIN, id: 'CC6.7-mtls', criterion: 'CC6.7' }, /"controls\[0\]\.id" CC6\.7-mtls is already a control/],
    [{ ...ADMIN, id: 'admin' }, /"controls\[0\]\.id" must be CC6\.1-<lowercase-words>/],
    [{ ...ADMIN, criterion: 'CC6.10' }, /must be a Trust Services Criterion/],
    [{ ...ADMIN, evidence: { kind: 'coverage', field: 'dst_service' } }, /"controls\[0\]\.evidence\.kind" must be share or count/],
    [{ ...ADMIN, evidence: { kind: 'count', match: [{ field: 'pathh', is: '/admin' }] } }, /"controls\[0\]\.evidence\.match\[0\]\.field" must be one of the text fields/],
    [{ ...ADMIN, evidence: { kind: 'count', match: [{ field: 'status', compare: '=>', value: 500 }] } }, /"controls\[0\]\.evidence\.match\[0\]\.compare" must be one of/],
    [{ ...ADMIN, evidence: { kind: 'count', match: [{ field: 'path', is: '/admin', extra: 1 }] } }, /unknown key "controls\[0\]\.evidence\.match\[0\]\.extra"/],
    [{ ...ADMIN, evidence: { kind: 'share', match: [{ field: 'path', is: '/x' }], groupBy: ['dst_service'] } }, /needs reduce \(max or min\)/],
    [{ ...ADMIN, pass: { atMost: { policy: 'maxErrorShar' } } }, /"controls\[0\]\.pass\.atMost" must be \{ value: <number> \} or \{ policy: <one of/],
    [{ ...ADMIN, evidenceLogs: [] }, /"controls\[0\]\.evidenceLogs" must be a non-empty list of filters/],
  ])('are refused with the key named when wrong (%#)', (control, message) => {
    expect(() => read([control])).toThrow(message);
  });
});
