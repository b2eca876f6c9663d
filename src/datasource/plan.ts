import { PROFILES } from '../core/profiles';
import {
  buildControlQueries,
  buildLogsQueries,
  buildRetentionQueries,
  buildTopologyQueries,
  queryContext,
  type ControlQuery,
  type LogsQuery,
  type QueryContext,
  type RetentionQuery,
  type TopologyQuery,
} from '../core/queries';
import { buildTopologyMtlsStateQueries } from '../core/queries/topology-mtls-states';
import { buildEvidenceCountQueries, type EvidenceCountQuery } from '../core/queries/control-evidence-count';
import { getControl } from '../core/controls';
import { DEFAULT_TOPOLOGY_OPTIONS, type LogsOptions, type MeshAuditQueryModel, type TopologyOptions } from '../core/query';
import type { ResolvedSettings } from './settings';
import type { MeshAuditQuery } from './types';

export const DEFAULT_LOGS_LIMIT = 100;

export type QueryPlan =
  | { type: 'topology'; options: TopologyOptions; queries: TopologyQuery[] }
  | { type: 'controls'; queries: ControlQuery[]; evidenceCounts: Record<string, EvidenceCountQuery[]> }
  | { type: 'retention'; queries: RetentionQuery[] }
  | { type: 'logs'; queries: LogsQuery[] };

/** A stored target with every default filled in. */
export function toModel(query: MeshAuditQuery): MeshAuditQueryModel {
  const logs: LogsOptions = { limit: DEFAULT_LOGS_LIMIT, ...query.logs };
  return {
    queryType: query.queryType ?? 'topology',
    filters: query.filters ?? {},
    topology: { ...DEFAULT_TOPOLOGY_OPTIONS, ...query.topology },
    controls: query.controls ?? [],
    retentionClasses: query.retentionClasses ?? [],
    logs,
  };
}

export function contextFor(settings: ResolvedSettings): QueryContext {
  return queryContext({ source: settings.logSource, labels: settings.labelNames, profileStages: PROFILES });
}

/**
 * The LogQL a target turns into, built only by core's builders: the same strings `query()` sends
 * and the query editor shows. `rangeMs` is the window metric queries aggregate over (the
 * dashboard range). Throws LogqlError / InterpolationError with a clear message on bad input.
 */
export function planQuery(query: MeshAuditQuery, settings: ResolvedSettings, rangeMs: number): QueryPlan {
  const model = toModel(query);
  const ctx = contextFor(settings);
  switch (model.queryType) {
    case 'topology': {
      const options = model.topology!;
      // The mtls measure is replaced by its per-state split, so "plaintext" is told from "no evidence".
      const queries = [
        ...buildTopologyQueries(model.filters, { ...options, showMtls: false }, rangeMs, ctx),
        ...(options.showMtls ? buildTopologyMtlsStateQueries(model.filters, options, rangeMs, ctx) : []),
      ];
      return { type: 'topology', options, queries };
    }
    case 'controls': {
      const queries = buildControlQueries(model.controls!, model.filters, rangeMs, settings.policy, ctx);
      const evidenceCounts: Record<string, EvidenceCountQuery[]> = {};
      for (const q of queries) {
        const control = getControl(q.controlId);
        evidenceCounts[q.controlId] =
          q.expr === null || !control ? [] : buildEvidenceCountQueries(control, model.filters, rangeMs, settings.policy, ctx);
      }
      return { type: 'controls', queries, evidenceCounts };
    }
    case 'retention':
      return { type: 'retention', queries: buildRetentionQueries(model.retentionClasses!, model.filters, settings.policy, settings.labelNames) };
    case 'logs':
      return { type: 'logs', queries: buildLogsQueries(model.filters, model.logs!, settings.policy, ctx) };
  }
}

/** Every LogQL string of a plan with a name, for display and for Explore links. */
export function planExpressions(plan: QueryPlan): Array<{ name: string; expr: string }> {
  const suffix = (profile?: string) => (profile ? ` (${profile})` : '');
  switch (plan.type) {
    case 'topology':
      return plan.queries.map((q) => ({ name: `${q.name}${suffix(q.profile)}`, expr: q.expr }));
    case 'controls':
      return plan.queries.flatMap((q) =>
        q.expr === null
          ? []
          : [
              { name: q.controlId, expr: q.expr },
              ...plan.evidenceCounts[q.controlId].map((c) => ({ name: `${q.controlId} evidence count${suffix(c.profile)}`, expr: c.expr })),
              ...q.logs.map((l) => ({ name: `${q.controlId} evidence lines${suffix(l.profile)}`, expr: l.expr })),
            ]
      );
    case 'retention':
      return plan.queries.map((q) => ({ name: q.name, expr: q.expr }));
    case 'logs':
      return plan.queries.map((q) => ({ name: `${q.name}${suffix(q.profile)}`, expr: q.expr }));
  }
}
