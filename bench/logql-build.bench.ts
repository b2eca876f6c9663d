/**
 * Building queries is on the panel refresh path (every dashboard refresh rebuilds them), so it
 * must stay far below a network round trip. Measured: the full topology and control query sets
 * for all ten raw profiles with long filter lists, and quoting a 1 MB hostile string (the worst
 * case of one user value), beside JSON.stringify of the same string.
 */
import { quoteString } from '../src/core/logql';
import { DEFAULT_POLICY } from '../src/core/policy';
import { DEFAULT_TOPOLOGY_OPTIONS } from '../src/core/query';
import { buildControlQueries, buildTopologyQueries, queryContext } from '../src/core/queries';
import { PROFILE_NAMES } from '../src/core/schema';
import { medianMs, report } from './harness';

const ctx = queryContext({ source: { kind: 'raw', profiles: [...PROFILE_NAMES] } });
const filters = {
  namespace: Array.from({ length: 50 }, (_, i) => `team-${i}.prod`),
  cluster: ['eu-west-1', 'us-east-2', 'ap-south-1'],
  service: Array.from({ length: 20 }, (_, i) => `svc-${i}`),
};
const policy = {
  ...DEFAULT_POLICY,
  strictMtlsNamespaces: filters.namespace,
  requiredServices: filters.service,
};

const topology = buildTopologyQueries(filters, DEFAULT_TOPOLOGY_OPTIONS, 3_600_000, ctx);
const controls = buildControlQueries([], filters, 86_400_000, policy, ctx);
if (topology.length !== PROFILE_NAMES.length * 4 || controls.some((c) => c.expr === null)) {
  throw new Error('bench inputs did not build the expected query sets');
}

report('topology queries, 10 raw profiles', `${medianMs(() => buildTopologyQueries(filters, DEFAULT_TOPOLOGY_OPTIONS, 3_600_000, ctx), 21).toFixed(2)} ms`);
report('control queries, 10 raw profiles', `${medianMs(() => buildControlQueries([], filters, 86_400_000, policy, ctx), 21).toFixed(2)} ms`);

const hostile = 'a"}\\\n\t\u0001`é😀|'.repeat(65_536);
const quoteMs = medianMs(() => quoteString(hostile));
const stringifyMs = medianMs(() => JSON.stringify(hostile));
report('quoteString 1 MB hostile', `${quoteMs.toFixed(2)} ms`, { value: quoteMs / stringifyMs, against: 'JSON.stringify' });
