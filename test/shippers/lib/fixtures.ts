/**
 * Real access-log lines (test/fixtures/mesh-logs, with their provenance files) labelled with the
 * format a shipper would know them by: the file name, or for
 * kuma.log, whose two lines are two formats, the profile that detects the line.
 */
import type { ProfileName } from '../../../src/core/schema';
import { detectProfile } from '../../../src/core/profiles';
import { listFixtures, readFixture } from '../../support/fixtures';

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
  for (const file of listFixtures('mesh-logs').filter((f) => f.endsWith('.log')).sort()) {
    const lines = readFixture(`mesh-logs/${file}`).split('\n');
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

/** The writer the compose shippers derive from the paths below (loggen/README.md's layout). */
export const VM_WRITER = { namespace: 'billing', service_name: 'billing-api' };
export const POD_WRITER = { namespace: 'shop', pod: 'checkout-7d9c5b8f6b-x2x4q', service_name: 'checkout' };

/**
 * A line of `format` as the compose Promtail and Alloy see it: a VM dataplane's file in loggen's
 * layout (the format is the file name; any format the pipeline parses is accepted there).
 */
export function vmFileLabels(format: ProfileName, root = '/var/log/mesh'): Record<string, string> {
  return { filename: `${root}/vm-fleet/vms/${VM_WRITER.namespace}/${VM_WRITER.service_name}/${format}.log`, platform: 'vm', log_type: 'access' };
}

/** A pod's kubelet log in loggen's layout; its lines are CRI-framed and its format is detected. */
export function podFileLabels(container: string, root = '/var/log/mesh'): Record<string, string> {
  return {
    filename: `${root}/prod-eu/pods/${POD_WRITER.namespace}_${POD_WRITER.pod}_0f8e2d6c-4b1a-4c3e-9a7d-2e5f8b1c6d40/${container}/0.log`,
    platform: 'kubernetes',
    log_type: 'access',
  };
}
