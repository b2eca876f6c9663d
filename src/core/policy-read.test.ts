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
    expect(readPolicy(COMPLETE, 'p.yaml', 'complete')).toEqual(COMPLETE);
    expect(readPolicy(COMPLETE, 'p.yaml', 'partial')).toEqual(COMPLETE);
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
