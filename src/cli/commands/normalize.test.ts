/** @jest-environment node */
import { run } from '../main';
import { memoryIO } from '../memoryIO';
import './normalize';
import { fixtureLines } from '../../../test/support/fixtures';

function outputRecords(text: string): Array<Record<string, unknown>> {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('mesh-audit normalize', () => {
  it('mixed formats in, one record per line out, in order; bad lines become numbered errors', async () => {
    const input = [
      fixtureLines('istio-text.log')[1],
      fixtureLines('linkerd-json.log')[0],
      'this is not an access log',
      '',
      fixtureLines('hubble-json.log')[1],
      fixtureLines('linkerd-tap.log')[0],
      fixtureLines('kuma.log')[0],
      fixtureLines('consul.log')[2],
    ].join('\n');
    const m = memoryIO(input + '\n');
    expect(await run(['normalize'], m.io)).toBe(0);
    const out = outputRecords(m.out());
    expect(out).toHaveLength(8);
    expect(out[0]).toMatchObject({
      format: 'istio-text',
      direction: 'inbound',
      dst_service: 'httpbin',
      mtls: 'mtls',
      mtls_basis: 'sni',
    });
    expect(out[1]).toMatchObject({ format: 'linkerd-json', src_namespace: 'booksapp', mtls: 'mtls' });
    expect(out[2]).toEqual({ line: 3, error: expect.stringMatching(/^unrecognised access-log format/) });
    expect(out[3]).toEqual({ line: 4, error: 'empty line' });
    expect(out[4]).toMatchObject({ format: 'hubble-json', authz: 'deny', dst_workload: 'deathstar' });
    expect(out[5]).toEqual({ line: 6, error: expect.stringContaining('linkerd viz tap') });
    expect(out[6]).toMatchObject({ format: 'kuma-tcp', dst_service: 'redis', bytes_out: 6195 });
    expect(out[7]).toMatchObject({ format: 'consul', authz: 'deny', authz_policy: 'consul-intentions-layer7-0' });
    expect(m.err()).toBe(
      'mesh-audit normalize: 3 of 8 lines could not be normalised (see the {"line","error"} records)\n'
    );
  });

  it('records are complete common-schema objects with keys in schema order', async () => {
    const m = memoryIO(fixtureLines('istio-json.log')[0]);
    expect(await run(['normalize'], m.io)).toBe(0);
    const [record] = outputRecords(m.out());
    expect(Object.keys(record)[0]).toBe('timestamp');
    expect(Object.keys(record)).toHaveLength(28);
    expect(m.err()).toBe('');
  });

  it('--format forces one profile: other formats become errors', async () => {
    const input = [fixtureLines('linkerd-apache.log')[0], fixtureLines('envoy-text.log')[0]].join('\n');
    const m = memoryIO(input);
    expect(await run(['normalize', '--format', 'linkerd-apache'], m.io)).toBe(0);
    const out = outputRecords(m.out());
    expect(out[0]).toMatchObject({ format: 'linkerd-apache', status: 200 });
    expect(out[1]).toEqual({ line: 2, error: expect.stringMatching(/^linkerd-apache: expected/) });
  });

  it('--label fills the logging pod side', async () => {
    const m = memoryIO(fixtureLines('istio-text.log')[0]);
    expect(await run(['normalize', '--label', 'namespace=sleep-ns', '--label', 'app=sleep'], m.io)).toBe(0);
    expect(outputRecords(m.out())[0]).toMatchObject({ src_workload: 'sleep', src_namespace: 'sleep-ns' });
  });

  it('CRLF input and a missing final newline', async () => {
    const lines = fixtureLines('linkerd-json.log');
    const m = memoryIO(`${lines[0]}\r\n${lines[4]}`);
    expect(await run(['normalize'], m.io)).toBe(0);
    expect(outputRecords(m.out()).map((r) => r.mtls)).toEqual(['mtls', 'plaintext']);
  });

  it('empty input gives empty output', async () => {
    const m = memoryIO('');
    expect(await run(['normalize'], m.io)).toBe(0);
    expect(m.out()).toBe('');
  });

  it('an unknown --format is a usage error listing the valid names', async () => {
    const m = memoryIO('');
    expect(await run(['normalize', '--format', 'nginx'], m.io)).toBe(2);
    expect(m.err()).toContain(
      'unknown --format "nginx"; valid: auto, istio-text, istio-json, envoy-text, envoy-json, consul, linkerd-json'
    );
    expect(m.out()).toBe('');
  });

  it('a malformed --label and stray arguments are usage errors', async () => {
    expect(await run(['normalize', '--label', 'oops'], memoryIO('').io)).toBe(2);
    expect(await run(['normalize', 'file.log'], memoryIO('').io)).toBe(2);
  });

  it('streams a large input without losing or reordering lines', async () => {
    const pool = [...fixtureLines('istio-json.log'), ...fixtureLines('kuma.log'), 'garbage'];
    const input = Array.from({ length: 5000 }, (_, i) => pool[i % pool.length]).join('\n');
    const m = memoryIO(input);
    expect(await run(['normalize'], m.io)).toBe(0);
    const out = outputRecords(m.out());
    expect(out).toHaveLength(5000);
    out.forEach((r, i) => {
      if (i % pool.length === pool.length - 1) {
        expect(r).toEqual({ line: i + 1, error: expect.any(String) });
      } else {
        expect(r.format).toBe(i % pool.length < 5 ? 'istio-json' : i % pool.length === 5 ? 'kuma-tcp' : 'kuma-http');
      }
    });
  });

  it('shows usage with --help', async () => {
    const m = memoryIO('');
    expect(await run(['normalize', '--help'], m.io)).toBe(0);
    expect(m.out()).toContain('mesh-audit normalize [--format auto|<profile>]');
  });
});
