/** @jest-environment node */
/**
 * Fluentd and Logstash: both read the node layout from the start with offsets kept, parse with the
 * (real-Promtail-run) Promtail regexes in Onigmo spelling, and survive their own config
 * preprocessing; the shared Ruby code with the Fluentd filter plugin and the Logstash filter
 * script runs on fixture lines placed in pod logs and VM files (ruby-standin.ts), every record
 * checked against normalizeLine with the writer's labels, at the request's own time.
 */
import { normalizeLine } from '../../src/core/profiles';
import { damaged } from './lib/damage';
import { fixtureLines, PIPELINE_FORMATS } from './lib/fixtures';
import { epochNanos, placements, POD } from './lib/node-layout';
import { expectParity } from './lib/parity';
import { promtailRegex } from './lib/promtail-regexes';
import { REDACTION_CASES } from './lib/redaction-cases';
import { fluentdConf, grokRegex, haveRuby, logstashConf, redactRuby, rubyParsers, shipRuby } from './ruby-standin';

const TEXT_FORMATS = ['istio-text', 'envoy-text', 'linkerd-apache', 'kuma-http', 'kuma-tcp'];
const ENV_VARS = ['LOKI_URL', 'LOKI_TENANT', 'LOKI_USERNAME', 'LOKI_PASSWORD'];

describe('Fluentd and Logstash configs', () => {
  it.each(PIPELINE_FORMATS)('parse %s with the Promtail regex (or JSON)', (format) => {
    const expected = TEXT_FORMATS.includes(format) ? promtailRegex(format).replace(/\(\?P</g, '(?<') : null;
    expect(rubyParsers()[format] ?? null).toBe(expected);
    expect(grokRegex(format)).toBe(expected);
  });

  it('read both layouts from each file\'s start, with offsets kept for restarts', () => {
    const source = /<source>([\s\S]*?)<\/source>/.exec(fluentdConf)![1];
    expect(source).toMatch(/^ {2}path \/var\/log\/mesh\/\*\/pods\/\*\/\*\/\*\.log,\/var\/log\/pods\/\*\/\*\/\*\.log,\/var\/log\/mesh\/\*\/vms\/\*\/\*\/\*\.log$/m);
    expect(source).toMatch(/^ {2}read_from_head true$/m);
    expect(source).toMatch(/^ {2}pos_file \/\S+$/m);
    expect(source).toMatch(/^ {2}path_key filename$/m);
    expect(logstashConf).toMatch(/path => \["\/var\/log\/mesh\/\*\/pods\/\*\/\*\/\*\.log", "\/var\/log\/pods\/\*\/\*\/\*\.log", "\/var\/log\/mesh\/\*\/vms\/\*\/\*\/\*\.log"\]/);
    expect(logstashConf).toMatch(/start_position => "beginning"/);
    expect(logstashConf).toMatch(/sincedb_path => "\/\S+"/);
  });

  it('send to Loki over TLS with the tenant and the six labels, credentials only from the environment', () => {
    expect(fluentdConf).toMatch(/tenant "#\{ENV\['LOKI_TENANT'\]\}"/);
    expect(fluentdConf).toMatch(/password "#\{ENV\['LOKI_PASSWORD'\]\}"/);
    expect(fluentdConf).toMatch(/ca_cert \/\S+/);
    expect(/<label>([\s\S]*?)<\/label>/.exec(fluentdConf)![1].trim().split(/\s+/)).toEqual(['platform', 'cluster', 'mesh', 'namespace', 'log_type', 'service_name']);
    expect(fluentdConf).toMatch(/remove_keys platform,cluster,mesh,namespace,log_type,service_name\n/);
    expect(logstashConf).toMatch(/tenant_id => "\$\{LOKI_TENANT\}"/);
    expect(logstashConf).toMatch(/password => "\$\{LOKI_PASSWORD\}"/);
    expect(logstashConf).toMatch(/ca_cert => "\/\S+"/);
    expect(logstashConf).toMatch(/include_fields => \["platform", "cluster", "mesh", "namespace", "log_type", "service_name"\]/);
  });

  it('survive their own preprocessing: Fluentd\'s "#{...}" Ruby and Logstash\'s ${NAME}', () => {
    const code = (text: string) => text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    // Fluentd evaluates #{...} in double-quoted values: only the documented ENV lookups may do so.
    const ruby = [...code(fluentdConf).matchAll(/"([^"\n]*#\{[^"\n]*)"/g)].map((m) => m[1]);
    expect(new Set(ruby)).toEqual(new Set(ENV_VARS.map((v) => `#{ENV['${v}']}`)));
    // Logstash substitutes ${NAME} anywhere in a setting and refuses to start on an unset one.
    const subst = [...code(logstashConf).matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    expect(new Set(subst)).toEqual(new Set(ENV_VARS));
  });

  it('route and redact before parsing', () => {
    expect(logstashConf.indexOf('"stage" => "route"')).toBeLessThan(logstashConf.indexOf('"message" => \''));
    expect(fluentdConf).not.toMatch(/@type parser/);
  });
});

const shippers = ['fluentd', 'logstash'] as const;

(haveRuby ? describe : describe.skip)(`the Ruby shippers' code in Ruby${haveRuby ? '' : ' (skipped: no ruby)'}`, () => {
  const lines = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));

  it.each(shippers)('%s ships every fixture line, in the pod and the VM layout, as normalizeLine with the writer\'s labels, at its own time', (shipper) => {
    const cases = lines.flatMap((f) => placements(f.format, f.line).map((p) => ({ f, p })));
    const out = shipRuby(shipper, cases.map((c) => c.p));
    const redacted = redactRuby(cases.map((c) => c.f.line));
    cases.forEach(({ f, p }, i) => {
      const o = out[i];
      expectParity(f, o, redacted[i], { namespace: p.labels.namespace, service_name: p.labels.service_name });
      expect(o.labels).toEqual(p.labels);
      const record = JSON.parse(o.line!);
      const want = record.timestamp ? epochNanos(record.timestamp) : '0';
      if (shipper === 'fluentd') {
        expect(o.ts).toBe(want);
      } else {
        // logstash-output-loki sends @timestamp through a double: exact to well under a microsecond.
        expect(Math.abs(Number(BigInt(o.ts!) - BigInt(want)))).toBeLessThan(1000);
      }
    });
  });

  it.each(shippers)('%s turns a line that does not fit into an error record, and drops what is not an access log', (shipper) => {
    const [vm, pod, info] = shipRuby(shipper, [
      { path: '/var/log/mesh/vm-fleet/vms/erp/portal/istio-text.log', text: '[2024-06-02T13:24:57.930Z] "GET /?token=abc HTTP/1.1" truncated' },
      { path: `/var/log/mesh/prod-eu/pods/shop_${POD}_u/kuma-sidecar/0.log`, text: '2026-11-30T09:00:02Z stdout F [2024-06-02T13:24:57.930Z] a)->b took 5ms' },
      { path: `/var/log/mesh/prod-eu/pods/shop_${POD}_u/istio-proxy/0.log`, text: '2026-11-30T09:00:02Z stderr F 2026-11-30T09:00:02.000Z\tinfo\txdsproxy\tconnected' },
    ]);
    expect(JSON.parse(vm.line!)).toEqual({ format: 'istio-text', error: 'line does not fit the istio-text layout', raw: '[2024-06-02T13:24:57.930Z] "GET /?token=REDACTED HTTP/1.1" truncated' });
    expect(vm.labels).toEqual({ platform: 'vm', cluster: 'vm-fleet', mesh: 'istio', namespace: 'erp', log_type: 'access', service_name: 'portal' });
    expect(JSON.parse(pod.line!)).toMatchObject({ format: 'kuma-tcp', error: 'line does not fit the kuma-tcp layout' });
    expect(pod.labels).toMatchObject({ platform: 'kubernetes', namespace: 'shop', service_name: 'frontend', mesh: 'kuma' });
    expect(info.dropped).toBe(true);
  });

  it.each(REDACTION_CASES.map((c) => [c.name, c] as const))('redacts %s exactly like the Promtail stages', (_name, c) => {
    expect(redactRuby([c.line])[0]).toBe(c.redacted);
  });
});

(haveRuby ? describe : describe.skip)('the Ruby shippers on damaged lines', () => {
  it.each(shippers)('%s: every result is an error record or what normalizeLine parses', (shipper) => {
    const inputs = fixtureLines()
      .filter((f) => PIPELINE_FORMATS.includes(f.format))
      .flatMap((f) => damaged(f.line, 12).flatMap((line) => placements(f.format, line).map((p) => ({ format: f.format, line, p }))));
    const out = shipRuby(shipper, inputs.map((x) => x.p));
    const redacted = redactRuby(inputs.map((x) => x.line));
    const wrong: string[] = [];
    let records = 0;
    out.forEach((o, i) => {
      if (o.dropped || 'error' in JSON.parse(o.line!)) {
        return;
      }
      records++;
      const expected = normalizeLine(redacted[i], { format: inputs[i].format, context: { labels: { namespace: 'shop', service_name: 'frontend' } } });
      if (!expected.ok || JSON.stringify(JSON.parse(o.line!)) !== JSON.stringify(expected.record)) {
        wrong.push(`${inputs[i].format} ${expected.ok ? 'differs' : `parser rejects (${expected.error})`}: ${inputs[i].line}`);
      }
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(records).toBeGreaterThan(0);
  });
});
