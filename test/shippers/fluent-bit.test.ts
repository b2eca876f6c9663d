/** @jest-environment node */
/**
 * The Fluent Bit config (provisioning/shippers/fluent-bit/) through the stand-in of the Fluent
 * Bit features it uses (fluent-bit-standin.ts): fixture lines placed in the node layout (a
 * CRI-framed pod log of their mesh's proxy container, and a VM file named by the format) go
 * through tail → Lua route → parsers → Lua normalize → the loki output, in a real Lua (5.4, and
 * LuaJIT 2.1 = Fluent Bit's Lua 5.1 where installed); every record must equal normalizeLine with the
 * writer's labels, at the request's own time. The same config ran on a real Fluent Bit 5.1.1
 * into a real Loki (provisioning/shippers/README.md, "What ran for real").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { normalizeLine } from '../../src/core/profiles';
import { STREAM_LABELS } from '../../src/core/schema';
import { damaged } from './lib/damage';
import { fixtureLines, PIPELINE_FORMATS, type FixtureLine } from './lib/fixtures';
import { placements, POD } from './lib/node-layout';
import { expectParity } from './lib/parity';
import { promtailRegex } from './lib/promtail-regexes';
import { REDACTION_CASES } from './lib/redaction-cases';
import { FB_DIR, fluentBitExpand, loadConfig, LUA_INTERPRETERS, PARSERS, runLua, shipThroughFluentBit, type ShipInput } from './fluent-bit-standin';

const ENV_VARS = ['LOKI_HOST', 'LOKI_PORT', 'LOKI_TENANT', 'LOKI_USERNAME', 'LOKI_PASSWORD'];
/** The stand-in's inputs for a fixture line in each layout, with the labels its place implies. */
function placementsOf(f: FixtureLine): Array<{ input: ShipInput; labels: Record<string, string> }> {
  return placements(f.format, f.line).map((p) => ({ input: { path: p.path, text: p.text }, labels: p.labels }));
}

/** Fluent Bit's time table for an RFC 3339 UTC text, to the nanosecond. */
function timeTable(t: string): { sec: number; nsec: number } {
  const frac = /\.(\d+)Z$/.exec(t)?.[1] ?? '';
  return { sec: Math.floor(Date.parse(t) / 1000), nsec: Number(frac.padEnd(9, '0').slice(0, 9)) };
}

describe('fluent-bit.yaml', () => {
  const config = loadConfig({});

  it('reads both layouts from their start, keeping offsets so a restart sends nothing twice', () => {
    expect(config.inputs.map((i) => [i.name, i.tag])).toEqual([
      ['tail', 'mesh.pod.<container>'],
      ['tail', 'mesh.vm.<format>'],
      ['tail', 'mesh.hubble'],
    ]);
    for (const i of config.inputs) {
      expect(i).toMatchObject({ read_from_head: 'true', path_key: 'filename', 'storage.type': 'filesystem' });
      expect(i.db).toMatch(/^\/var\/lib\/fluent-bit\/.+\.db$/);
    }
    expect(new Set(config.inputs.map((i) => i.db)).size).toBe(config.inputs.length);
    expect(config.inputs[0]['multiline.parser']).toBe('cri');
    expect(config.service['storage.path']).toMatch(/^\/var\/lib\/fluent-bit\//);
  });

  it('redacts and routes before any parser, normalises last with the time as a table', () => {
    const names = config.filters.map((f) => f.name);
    expect(names[0]).toBe('lua');
    expect(config.filters[0].call).toBe('mesh_audit_route');
    expect(names.slice(1, -1).every((n) => n === 'parser')).toBe(true);
    expect(config.filters[config.filters.length - 1]).toMatchObject({ name: 'lua', call: 'mesh_audit_normalize', time_as_table: 'on' });
    for (const f of config.filters.filter((x) => x.name === 'parser')) {
      expect(PARSERS[String(f.parser)]).toBeDefined();
    }
  });

  it('sends to Loki over TLS with the tenant, the six labels only, and credentials from the environment', () => {
    const raw = loadConfig(Object.fromEntries(ENV_VARS.map((v) => [v, `<${v}>`])));
    const [out] = raw.outputs;
    expect(out).toMatchObject({ name: 'loki', uri: '/loki/api/v1/push', tenant_id: '<LOKI_TENANT>', http_passwd: '<LOKI_PASSWORD>', tls: 'on', 'tls.verify': 'on', drop_single_key: 'raw' });
    expect(out['tls.ca_file']).toMatch(/^\//);
    expect(String(out.labels).split(',').map((l) => l.trim().split('=')[0])).toEqual([...STREAM_LABELS]);
    expect(String(out.remove_keys).split(',').map((l) => l.trim())).toEqual([...STREAM_LABELS]);
  });

  it('survives Fluent Bit\'s ${NAME} expansion: only the documented variables change', () => {
    const env = Object.fromEntries(ENV_VARS.map((v) => [v, `<${v}>`]));
    const values = JSON.stringify(loadConfigWithoutExpansion());
    const used = [...values.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    expect(new Set(used)).toEqual(new Set(ENV_VARS));
    const expanded = loadConfig(env);
    const plain = loadConfig(Object.fromEntries(ENV_VARS.map((v) => [v, `\${${v}}`])));
    // Expanding each variable to its own spelling must give back the file: nothing else was touched.
    expect(plain).toEqual(loadConfigWithoutExpansion());
    expect(JSON.stringify(expanded)).not.toContain('${');
    expect(fluentBitExpand('a ${X} b', {})).toBe('a  b');
    expect(readFileSync(join(FB_DIR, 'parsers.conf'), 'utf8')).not.toContain('${');
  });

  it('uses the Promtail regexes, spelled for Onigmo', () => {
    const parserOf: Record<string, string> = { 'istio-text': 'mesh_istio_text', 'envoy-text': 'mesh_envoy_text', 'linkerd-apache': 'mesh_linkerd_apache', 'kuma-http': 'mesh_kuma_http', 'kuma-tcp': 'mesh_kuma_tcp' };
    for (const [format, parser] of Object.entries(parserOf)) {
      expect(PARSERS[parser].regex).toBe(promtailRegex(format).replace(/\(\?P</g, '(?<'));
      expect(PARSERS[parser].time_key).toBeUndefined();
    }
  });
});

function loadConfigWithoutExpansion() {
  const raw = parse(readFileSync(join(FB_DIR, 'fluent-bit.yaml'), 'utf8'));
  const str = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]));
  return { service: str(raw.service), inputs: raw.pipeline.inputs.map(str), filters: raw.pipeline.filters.map(str), outputs: raw.pipeline.outputs.map(str) };
}

const interpreters = LUA_INTERPRETERS.length > 0 ? LUA_INTERPRETERS : ['(none)'];

describe.each(interpreters)('the Fluent Bit pipeline with mesh_audit*.lua in %s', (lua) => {
  const run = lua === '(none)' ? it.skip : it;
  const lines = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));

  run('ships every fixture line, in the pod and the VM layout, as normalizeLine with the writer\'s labels, at its own time', () => {
    const cases = lines.flatMap((f) => placementsOf(f).map((p) => ({ f, ...p })));
    const shipped = shipThroughFluentBit(lua, cases.map((c) => c.input));
    cases.forEach((c, i) => {
      const s = shipped[i];
      const context = { namespace: c.labels.namespace, service_name: c.labels.service_name };
      expectParity(c.f, s, s.redacted!, context);
      expect(s.labels).toEqual(c.labels);
      const record = JSON.parse(s.line!);
      expect(s.ts).toEqual(record.timestamp ? timeTable(record.timestamp) : { sec: 0, nsec: 0 });
    });
    // The writer's side is really filled: some records got their workload only from the path.
    const filled = shipped.filter((s) => JSON.parse(s.line!).dst_workload === 'frontend' || JSON.parse(s.line!).src_workload === 'frontend');
    expect(filled.length).toBeGreaterThan(10);
  });

  run('turns a line its parser rejects into an error record with the redacted raw line, at the read time', () => {
    const [vm, pod] = shipThroughFluentBit(lua, [
      { path: '/var/log/mesh/vm-fleet/vms/erp/portal/istio-text.log', text: '[2024-06-02T13:24:57.930Z] "GET /?token=abc HTTP/1.1" truncated' },
      { path: `/var/log/mesh/prod-eu/pods/shop_${POD}_u/kuma-sidecar/0.log`, text: '2026-11-30T09:00:02Z stdout F [2024-06-02T13:24:57.930Z] a)->b took 5ms' },
    ]);
    expect(JSON.parse(vm.line!)).toEqual({ format: 'istio-text', error: 'line does not fit the istio-text layout', raw: '[2024-06-02T13:24:57.930Z] "GET /?token=REDACTED HTTP/1.1" truncated' });
    expect(vm.labels).toEqual({ platform: 'vm', cluster: 'vm-fleet', mesh: 'istio', namespace: 'erp', log_type: 'access', service_name: 'portal' });
    expect(vm.ts).toEqual({ sec: 0, nsec: 0 });
    expect(JSON.parse(pod.line!)).toEqual({ format: 'kuma-tcp', error: 'line does not fit the kuma-tcp layout', raw: '[2024-06-02T13:24:57.930Z] a)->b took 5ms' });
    expect(pod.labels).toEqual({ platform: 'kubernetes', cluster: 'prod-eu', mesh: 'kuma', namespace: 'shop', log_type: 'access', service_name: 'frontend' });
  });

  run('drops what a proxy container prints besides access logs, and other containers', () => {
    const out = shipThroughFluentBit(lua, [
      { path: `/var/log/mesh/prod-eu/pods/shop_${POD}_u/istio-proxy/0.log`, text: '2026-11-30T09:00:02Z stderr F 2026-11-30T09:00:02.000Z\tinfo\txdsproxy\tconnected to upstream XDS server' },
      { path: `/var/log/mesh/prod-eu/pods/shop_${POD}_u/app/0.log`, text: '2026-11-30T09:00:02Z stdout F [2024-06-02T13:24:57.930Z] "GET / HTTP/1.1" 200' },
    ]);
    expect(out.map((o) => o.dropped)).toEqual([true, true]);
  });

  run('takes a node\'s cluster from CLUSTER_NAME and Hubble\'s node export file', () => {
    const hubble = fixtureLines().find((f) => f.format === 'hubble-json')!;
    const [pod, flow] = shipThroughFluentBit(lua, [
      { path: `/var/log/pods/shop_${POD}_u/istio-proxy/0.log`, text: `2026-11-30T09:00:02Z stdout F ${fixtureLines().find((f) => f.format === 'istio-text')!.line}` },
      { path: '/var/run/cilium/hubble/events.log', text: hubble.line },
    ]);
    // The stand-in's Lua runs without CLUSTER_NAME: the label says so instead of guessing.
    expect(pod.labels).toMatchObject({ platform: 'kubernetes', cluster: 'unknown', namespace: 'shop', service_name: 'frontend' });
    expect(flow.labels).toEqual({ platform: 'kubernetes', cluster: 'unknown', mesh: 'cilium', log_type: 'access' });
    expect(JSON.parse(flow.line!)).toEqual(normalizeLine(flow.redacted!, { format: 'hubble-json' }).ok && (normalizeLine(flow.redacted!, { format: 'hubble-json' }) as { record: unknown }).record);
  });

  run.each(REDACTION_CASES.map((c) => [c.name, c] as const))('redacts %s exactly like the Promtail stages', (_name, c) => {
    const [out] = runLua(lua, [{ call: 'mesh_audit_route', tag: 'mesh.vm.istio-text', ts: 0, record: { log: c.line, filename: '/var/log/mesh/c/vms/n/w/istio-text.log' } }]);
    expect(out.record.log).toBe(c.redacted);
  });

  run('leaves fixture lines without secrets unchanged', () => {
    const all = fixtureLines();
    const out = runLua(lua, all.map((f) => ({ call: 'mesh_audit_route', tag: `mesh.vm.${f.format}`, ts: 0, record: { log: f.line, filename: `/var/log/mesh/c/vms/n/w/${f.format}.log` } })));
    all.forEach((f, i) => {
      const expected = f.file === 'envoy-text.log' && f.index === 0 ? f.line.replace('api_key=FyzFCUcvrJXvG', 'api_key=REDACTED') : f.line;
      expect(out[i].record.log).toBe(expected);
    });
  });

  run.each(PIPELINE_FORMATS)('%s, damaged: every result is an error record or what normalizeLine parses', (format) => {
    const sources = fixtureLines().filter((f) => f.format === format);
    const inputs = sources.flatMap((f) => damaged(f.line, 12).flatMap((line) => placementsOf({ ...f, line }).map((p) => p.input)));
    const shipped = shipThroughFluentBit(lua, inputs);
    const wrong: string[] = [];
    let records = 0;
    shipped.forEach((s, i) => {
      if (s.dropped || 'error' in JSON.parse(s.line!)) {
        return;
      }
      records++;
      const expected = normalizeLine(s.redacted!, { format, context: { labels: { namespace: 'shop', service_name: 'frontend' } } });
      if (!expected.ok || JSON.stringify(JSON.parse(s.line!)) !== JSON.stringify(expected.record)) {
        wrong.push(`${expected.ok ? 'differs' : `parser rejects (${expected.error})`}: ${inputs[i].text}`);
      }
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(records).toBeGreaterThan(0);
  });
});
