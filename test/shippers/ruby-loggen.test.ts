/** @jest-environment node */
/**
 * loggen's lines, each in the file loggen writes it to (CRI-framed pod logs, VM files), through
 * the Fluentd and the Logstash pipeline (ruby-standin.ts): every record equals normalizeLine with
 * the writer's labels from the path, the six labels are the writer's, and the Loki time is the
 * request's own. Same lines as fluent-bit-loggen.test.ts: loggen's 02:00 error burst (thinned,
 * plaintext requests kept) and three hours' plaintext calls into Istio JSON namespaces.
 */
import { generate } from '../../loggen/generate';
import { fileLine } from '../../loggen/layout';
import type { FixtureLine } from './lib/fixtures';
import { epochNanos } from './lib/node-layout';
import { expectParity } from './lib/parity';
import { haveRuby, redactRuby, shipRuby } from './ruby-standin';

const generated = [
  ...[...generate({ seed: 7, start: Date.UTC(2026, 10, 24, 1, 57), durationMs: 10 * 60_000, ratePerSecond: 2 })].filter((g, i) => !g.truth.mtls || i % 4 === 0),
  ...[...generate({ seed: 7, start: Date.UTC(2026, 10, 24, 0, 0), durationMs: 3 * 3600_000, ratePerSecond: 2 })].filter(
    (g) => !g.truth.mtls && g.format === 'istio-json' && g.side === 'inbound'
  ),
];

(haveRuby ? describe : describe.skip)(`loggen lines through Fluentd and Logstash${haveRuby ? '' : ' (skipped: no ruby)'}`, () => {
  const redacted = haveRuby ? redactRuby(generated.map((g) => g.line)) : [];

  it.each(['fluentd', 'logstash'] as const)('%s ships what normalizeLine parses, with the writer\'s six labels, at the request\'s time', (shipper) => {
    const out = shipRuby(shipper, generated.map((g) => ({ path: `/var/log/mesh/${g.file}`, text: fileLine(g) })));
    generated.forEach((g, i) => {
      const f: FixtureLine = { file: g.file, index: i, format: g.format, line: g.line };
      expectParity(f, out[i], redacted[i], { namespace: g.namespace, service_name: g.workload });
      expect(out[i].labels).toEqual({ platform: g.platform, cluster: g.cluster, mesh: g.mesh, namespace: g.namespace, log_type: 'access', service_name: g.workload });
      const want = BigInt(epochNanos(JSON.parse(out[i].line!).timestamp));
      const delta = BigInt(out[i].ts!) - want;
      expect(shipper === 'fluentd' ? delta === BigInt(0) : delta < BigInt(1000) && delta > BigInt(-1000)).toBe(true);
    });
  });
});
