/**
 * The Envoy JSON family (istio-json, consul, envoy-json) shares one parser; the profiles differ in
 * the mesh they name and in how auto-detection tells them apart: by the naming of the upstream
 * cluster and SNI (Istio `outbound|...`/`outbound_.`, Consul `....consul`/`local_app`).
 */
import type { Mesh, ProfileName } from '../schema';
import type { LineContext, Profile } from './types';
import { parseUpstreamCluster } from './cluster';
import { envoyRecord } from './envoy-record';
import { envoyFieldsFromJson, hasEnvoyKeys } from './envoy-json-fields';
import { hasJsonKey, looksLikeJsonObject, parseJsonObject, peekJsonString } from './json-line';
import { failure } from './result';
import { LineError } from './values';

export type EnvoyJsonKind = 'istio-json' | 'consul' | 'envoy-json';

// consul, istio-json and envoy-json detection each ask about the same line in turn: keep the last answer.
let lastLine: string | undefined;
let lastKind: EnvoyJsonKind | null = null;

/** Which Envoy JSON flavour a raw line is, without parsing it; null if it is no Envoy JSON record. */
export function envoyJsonKind(line: string): EnvoyJsonKind | null {
  if (line !== lastLine) {
    lastKind = classify(line);
    lastLine = line;
  }
  return lastKind;
}

function classify(line: string): EnvoyJsonKind | null {
  if (!looksLikeJsonObject(line)) {
    return null;
  }
  if (!hasJsonKey(line, 'response_code') && !hasJsonKey(line, 'upstream_cluster') && !hasJsonKey(line, 'start_time')) {
    return null;
  }
  const scheme = parseUpstreamCluster(peekJsonString(line, 'upstream_cluster'))?.scheme;
  if (scheme === 'consul') {
    return 'consul';
  }
  if (scheme === 'istio') {
    return 'istio-json';
  }
  const sni = peekJsonString(line, 'requested_server_name');
  if (sni !== null && sni.endsWith('.consul')) {
    return 'consul';
  }
  if (sni !== null && sni.startsWith('outbound_.')) {
    return 'istio-json';
  }
  return 'envoy-json';
}

/**
 * Hosted meshes add the logging pod to each line (Huawei UCS: pod_name, pod_namespace). They name
 * the same pod as the stream labels, which win when both are present.
 */
function withPodFields(o: Record<string, unknown>, context: LineContext | undefined): LineContext | undefined {
  const pod = typeof o.pod_name === 'string' ? o.pod_name : undefined;
  const namespace = typeof o.pod_namespace === 'string' ? o.pod_namespace : undefined;
  if (pod === undefined && namespace === undefined) {
    return context;
  }
  const labels: Record<string, string> = {};
  if (pod !== undefined) {
    labels.pod = pod;
  }
  if (namespace !== undefined) {
    labels.namespace = namespace;
  }
  return { labels: { ...labels, ...context?.labels } };
}

export function envoyJsonProfile(
  name: ProfileName,
  mesh: Mesh,
  detect: (line: string) => boolean,
  logqlStage: string
): Profile {
  return {
    name,
    mesh,
    detect,
    parse(line, context) {
      try {
        const o = parseJsonObject(line);
        if (!hasEnvoyKeys(o)) {
          throw new LineError('no Envoy access-log keys (response_code, upstream_cluster, start_time) in this object');
        }
        return { ok: true, record: envoyRecord(envoyFieldsFromJson(o), name, mesh, withPodFields(o, context)) };
      } catch (error) {
        return failure(name, error);
      }
    },
    logqlStage,
  };
}
