/**
 * Real access-log lines (test/fixtures/shippers, copied from the research fixtures with their
 * provenance files) labelled with the format a shipper would know them by: the file name, or for
 * kuma.log, whose two lines are two formats, the profile that detects the line.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileName } from '../../../src/core/schema';
import { detectProfile } from '../../../src/core/profiles';

export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'shippers');

export interface FixtureLine {
  file: string;
  index: number;
  format: ProfileName;
  line: string;
}

function formatOf(file: string, line: string): ProfileName | null {
  const base = file.replace(/\.log$/, '').replace(/-(legacy|constructed)$/, '');
  if (base === 'kuma') {
    return detectProfile(line)?.name ?? null;
  }
  if (base === 'linkerd-tap') {
    return null; // `linkerd viz tap` output is an API stream, not a proxy log: no shipper reads it
  }
  return base as ProfileName;
}

export function fixtureLines(): FixtureLine[] {
  const out: FixtureLine[] = [];
  for (const file of readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.log')).sort()) {
    const lines = readFileSync(join(FIXTURE_DIR, file), 'utf8').split('\n');
    if (lines[lines.length - 1] === '') {
      lines.pop();
    }
    lines.forEach((line, index) => {
      const format = formatOf(file, line);
      if (format) {
        out.push({ file, index, format, line });
      }
    });
  }
  return out;
}

export const MESH_OF: Record<ProfileName, string> = {
  'istio-text': 'istio',
  'istio-json': 'istio',
  'envoy-text': 'envoy',
  'envoy-json': 'envoy',
  consul: 'consul',
  'linkerd-json': 'linkerd',
  'linkerd-apache': 'linkerd',
  'kuma-http': 'kuma',
  'kuma-tcp': 'kuma',
  'hubble-json': 'cilium',
};

/** The formats Promtail, Alloy, Fluent Bit, Fluentd and Logstash normalise (README matrix): all of them. */
export const PIPELINE_FORMATS: ProfileName[] = ['istio-text', 'istio-json', 'consul', 'envoy-text', 'envoy-json', 'linkerd-json', 'linkerd-apache', 'kuma-http', 'kuma-tcp', 'hubble-json'];
