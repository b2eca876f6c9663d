/** @jest-environment node */
import { DEFAULT_POLICY, type LoggingPolicy } from '../policy';
import { RECORD_FIELDS } from '../schema';
import { CONTROL_CATALOG, CONTROL_IDS, getControl } from './catalog';
import { evaluateControl } from './evaluate';
import type { ControlDefinition } from './types';
import { fieldsUsed as fieldsOf } from '../queries/field-filter';

describe('control catalog', () => {
  it('has controls with unique ids named after their criterion', () => {
    expect(new Set(CONTROL_IDS).size).toBe(CONTROL_IDS.length);
    for (const control of CONTROL_CATALOG) {
      expect(control.id.startsWith(`${control.criterion}-`)).toBe(true);
      expect(control.title.length).toBeGreaterThan(10);
      expect(control.description.length).toBeGreaterThan(80);
    }
    expect(CONTROL_IDS).toEqual(
      expect.arrayContaining([
        'CC6.7-mtls',
        'CC6.1-authz-denials',
        'CC6.6-boundary-denials',
        'CC6.8-unexpected-callers',
        'CC7.2-error-anomaly',
        'CC7.2-log-coverage',
        'A1.2-availability',
      ])
    );
  });

  it('filters only on common-schema fields', () => {
    for (const control of CONTROL_CATALOG) {
      const ev = control.evidence;
      const fields = [
        ...fieldsOf(control.evidenceLogs),
        ...(ev.kind === 'share' ? [...fieldsOf(ev.match), ...fieldsOf(ev.scope), ...(ev.groupBy ?? [])] : []),
        ...(ev.kind === 'count' ? [...fieldsOf(ev.match), ...fieldsOf(ev.scope ?? [])] : []),
        ...(ev.kind === 'coverage' ? [ev.field] : []),
      ];
      for (const field of fields) {
        expect(RECORD_FIELDS).toContain(field);
      }
    }
  });

  it('references only thresholds the policy defines', () => {
    for (const control of CONTROL_CATALOG) {
      const ref = 'atLeast' in control.pass ? control.pass.atLeast : control.pass.atMost;
      if ('policy' in ref) {
        expect(Object.keys(DEFAULT_POLICY.thresholds)).toContain(ref.policy);
      }
    }
  });

  it('finds controls by id and returns undefined for unknown ids', () => {
    expect(getControl('CC6.7-mtls')?.criterion).toBe('CC6.7');
    expect(getControl('CC9.9-nope')).toBeUndefined();
    expect(getControl('cc6.7-mtls')).toBeUndefined();
  });
});

describe('evaluateControl', () => {
  const policy: LoggingPolicy = { ...DEFAULT_POLICY, thresholds: { minMtlsShare: 0.99, maxErrorShare: 0.05, maxSilenceMinutes: 60, minAvailability: 0.99, maxUnavailableShare: 0.01 } };
  const control = (id: string): ControlDefinition => getControl(id)!;

  it('never passes without evidence', () => {
    for (const c of CONTROL_CATALOG) {
      expect(evaluateControl(c, null, policy)).toBe('no-evidence');
      expect(evaluateControl(c, NaN, policy)).toBe('no-evidence');
    }
  });

  it('compares mTLS share against the policy minimum (at least)', () => {
    expect(evaluateControl(control('CC6.7-mtls'), 1, policy)).toBe('pass');
    expect(evaluateControl(control('CC6.7-mtls'), 0.99, policy)).toBe('pass');
    expect(evaluateControl(control('CC6.7-mtls'), 0.985, policy)).toBe('fail');
    expect(evaluateControl(control('CC6.7-mtls'), 0.985, { ...policy, thresholds: { ...policy.thresholds, minMtlsShare: 0.9 } })).toBe('pass');
  });

  it('compares the worst error share against the policy maximum (at most)', () => {
    expect(evaluateControl(control('CC7.2-error-anomaly'), 0.05, policy)).toBe('pass');
    expect(evaluateControl(control('CC7.2-error-anomaly'), 0.2, policy)).toBe('fail');
    expect(evaluateControl(control('CC7.2-error-anomaly'), 0, policy)).toBe('pass');
  });

  it('fails coverage unless every required service logged', () => {
    expect(evaluateControl(control('CC7.2-log-coverage'), 1, policy)).toBe('pass');
    expect(evaluateControl(control('CC7.2-log-coverage'), 0.5, policy)).toBe('fail');
    expect(evaluateControl(control('CC7.2-log-coverage'), 0, policy)).toBe('fail');
  });

  it('fails availability below the policy minimum and unexpected callers on any request', () => {
    expect(evaluateControl(control('A1.2-availability'), 0.995, policy)).toBe('pass');
    expect(evaluateControl(control('A1.2-availability'), 0.98, policy)).toBe('fail');
    expect(evaluateControl(control('CC6.8-unexpected-callers'), 0, policy)).toBe('pass');
    expect(evaluateControl(control('CC6.8-unexpected-callers'), 1, policy)).toBe('fail');
  });

  it('passes a recorded-denials control on a zero count backed by traffic', () => {
    expect(evaluateControl(control('CC6.1-authz-denials'), 0, policy)).toBe('pass');
    expect(evaluateControl(control('CC6.1-authz-denials'), 12, policy)).toBe('pass');
  });

  it('gives no evidence when the policy threshold is not a number', () => {
    const broken = { ...policy, thresholds: { ...policy.thresholds, minMtlsShare: undefined as unknown as number } };
    expect(evaluateControl(control('CC6.7-mtls'), 1, broken)).toBe('no-evidence');
  });
});
