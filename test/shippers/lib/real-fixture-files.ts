/**
 * The suite's fixture lines laid out as loggen lays out files (loggen/README.md), for a real
 * Promtail with promtail.yaml: every fixture line, its damaged variants and the redaction cases
 * in a VM file of its format, and every line of a proxy container's formats CRI-wrapped in a pod
 * file of that container (so the format detection and the drop of non-access lines run too).
 * bench/promtail-pipeline runs two configs on these files and compares what they push byte for
 * byte; loggen's mix has six of the ten formats, these files have all of them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileName } from '../../../src/core/schema';
import { damaged } from './damage';
import { fixtureLines, PIPELINE_FORMATS } from './fixtures';
import { REDACTION_CASES } from './redaction-cases';

/** The proxy container that writes each format in a pod (loggen/layout.ts PROXY_CONTAINER, plus plain Envoy). */
export const CONTAINER: Partial<Record<ProfileName, string>> = {
  'istio-text': 'istio-proxy',
  'istio-json': 'istio-proxy',
  consul: 'consul-dataplane',
  'linkerd-json': 'linkerd-proxy',
  'linkerd-apache': 'linkerd-proxy',
  'kuma-http': 'kuma-sidecar',
  'kuma-tcp': 'kuma-sidecar',
  'envoy-text': 'envoy',
  'envoy-json': 'envoy',
};

/** Writes the files below `root`; returns how many lines they hold. */
export function writeFixtureFiles(root: string): number {
  const byFile = new Map<string, string[]>();
  const add = (file: string, line: string) => byFile.set(file, [...(byFile.get(file) ?? []), line]);
  const lines = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));
  for (const f of lines) {
    // One VM workload per fixture file: a stream per file, as loggen writes them.
    const vm = `vm-fleet/vms/billing/${f.file.replace(/\.log$/, '')}/${f.format}.log`;
    add(vm, f.line);
    damaged(f.line, 8).forEach((d) => add(vm, d));
    const container = CONTAINER[f.format];
    if (container) {
      add(
        `prod-eu/pods/shop_checkout-7d9c5b8f6b-x2x4q_0000/${container}/0.log`,
        `2026-01-01T00:00:00.123Z stdout F ${f.line}`
      );
    }
  }
  for (const c of REDACTION_CASES) {
    const format = c.line.startsWith('{"client')
      ? 'linkerd-json'
      : c.line.startsWith('{')
        ? 'istio-json'
        : 'istio-text';
    add(`vm-fleet/vms/billing/redaction/${format}.log`, c.line);
  }
  let count = 0;
  for (const [file, body] of byFile) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    // A line with a newline in it would be two lines to Promtail; none of these has one.
    writeFileSync(join(root, file), body.join('\n') + '\n');
    count += body.length;
  }
  return count;
}
