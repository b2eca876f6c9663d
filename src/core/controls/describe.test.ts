/** @jest-environment node */
import { getControl } from '.';
import { describeMeasurement } from './describe';

describe('describeMeasurement', () => {
  const mtls = getControl('CC6.7-mtls')!;
  const denials = getControl('CC6.1-authz-denials')!;

  it('rounds a share to four significant digits', () => {
    expect(describeMeasurement(mtls, 0.845634753268663)).toBe(`${mtls.measure}: 0.8456`);
  });

  it('prints counts as grouped integers', () => {
    expect(describeMeasurement(denials, 12840)).toBe(`${denials.measure}: 12,840`);
  });

  it('says when there was nothing to measure', () => {
    expect(describeMeasurement(mtls, null)).toBe('No access logs in the range to measure this control.');
  });
});
