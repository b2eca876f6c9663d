/**
 * Topology frames from a 10,000-series answer: Loki's vector JSON for the four named queries
 * (requests, errors, latency_p95, mtls by state) -> parsed samples -> joined edges -> Node Graph
 * frames. Printed next to JSON.parse of the same bodies, the floor any parser pays.
 */
import { parseQueryResponse } from '../src/core/loki/parse/parseQueryResponse';
import { DEFAULT_LABEL_NAMES } from '../src/core/query';
import { topologyFrames } from '../src/datasource/frames/topologyFrames';
import { joinTopology, type TopologyVectors } from '../src/datasource/topology/join';
import { samplesOf } from '../src/datasource/topology/samples';
import { medianMs, report } from './harness';

const SERIES = 10_000;
const T = 1764138000.0;

/** 1000 workloads in 50 namespaces, each calling 10 distinct services: 10,000 distinct edges. */
function edge(i: number) {
  const wl = i % 1000;
  const svc = (wl + Math.floor(i / 1000) * 37) % 1000;
  return {
    platform: wl % 7 === 0 ? 'vm' : 'kubernetes',
    cluster: `cluster-${wl % 3}`,
    src_workload: `wl-${wl}`,
    src_namespace: `ns-${wl % 50}`,
    dst_service: `svc-${svc}`,
    dst_namespace: `ns-${svc % 50}`,
  };
}

function body(rows: Array<{ metric: Record<string, string>; value: string }>): string {
  return JSON.stringify({ status: 'success', data: { resultType: 'vector', result: rows.map((r) => ({ metric: r.metric, value: [T, r.value] })) } });
}

const bodies = {
  requests: body(Array.from({ length: SERIES }, (_, i) => ({ metric: edge(i), value: String(1000 + i) }))),
  errors: body(Array.from({ length: SERIES / 5 }, (_, i) => ({ metric: edge(i * 5), value: String(i % 17) }))),
  latency_p95: body(Array.from({ length: SERIES }, (_, i) => ({ metric: edge(i), value: (i % 250) / 3 + '' }))),
  mtls: body(Array.from({ length: SERIES }, (_, i) => ({ metric: { ...edge(i), mtls: i % 9 === 0 ? 'plaintext' : 'mtls' }, value: String(1000 + i) }))),
};
const names = Object.keys(bodies) as Array<keyof typeof bodies>;
const totalBytes = names.reduce((n, k) => n + bodies[k].length, 0);

function parseAll(): TopologyVectors {
  const v = {} as Record<keyof typeof bodies, ReturnType<typeof samplesOf>>;
  for (const k of names) {
    v[k] = samplesOf(parseQueryResponse(bodies[k]), k);
  }
  return v as TopologyVectors;
}

const options = { groupBy: 'workload' as const, labelNames: DEFAULT_LABEL_NAMES, rangeSeconds: 3600 };
const parsed = parseAll();
const check = joinTopology(parsed, options);
console.log(`${SERIES} series per query, ${(totalBytes / 1e6).toFixed(1)} MB of JSON, ${check.edges.length} edges, ${check.nodes.length} nodes`);

const jsonParse = medianMs(() => names.map((k) => JSON.parse(bodies[k])));
const framesOnly = medianMs(() => topologyFrames(joinTopology(parsed, options), 3600));
const full = medianMs(() => topologyFrames(joinTopology(parseAll(), options), 3600));

report('JSON.parse of the 4 bodies', `${jsonParse.toFixed(1)} ms`);
report('join + frames (from parsed samples)', `${framesOnly.toFixed(1)} ms`, { value: framesOnly / jsonParse, against: 'JSON.parse' });
report('parse + join + frames (bodies -> frames)', `${full.toFixed(1)} ms`, { value: full / jsonParse, against: 'JSON.parse' });

const joined = joinTopology(parsed, options);
const joinOnly = medianMs(() => joinTopology(parsed, options));
const framesFromJoined = medianMs(() => topologyFrames(joined, 3600));
report('  of which join', `${joinOnly.toFixed(1)} ms`);
report('  of which frames', `${framesFromJoined.toFixed(1)} ms`);
