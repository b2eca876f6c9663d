/** @jest-environment node */
import { readNormalizedLine } from './normalizer';

describe('readNormalizedLine', () => {
  it('reads a common-schema record and fills missing keys with unknown values', () => {
    const result = readNormalizedLine(JSON.stringify({ mesh: 'istio', format: 'istio-json', status: 200, response_flags: ['UF'] }));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.record.status).toBe(200);
      expect(result.record.src_workload).toBeNull();
      expect(result.record.mtls).toBe('unknown');
      expect(result.record.mtls_basis).toBe('none');
      expect(result.record.response_flags).toEqual(['UF']);
    }
  });

  it.each([
    ['[2020-11-25T21:26:18.409Z] "GET / HTTP/1.1" 200', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['{"mesh":"istio"}', 'common schema'],
    ['{"mesh":"istio","format":"made-up"}', 'common schema'],
  ])('says why %s is not a record', (line, reason) => {
    const result = readNormalizedLine(line);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(reason);
  });
});
