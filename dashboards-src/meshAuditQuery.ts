/**
 * A foundation-SDK query builder for Mesh Audit targets (the SDK's "custom query type").
 *
 * The target written to dashboard JSON is exactly `MeshAuditQuery` from the data source
 * (src/datasource/types.ts): Grafana's DataQuery plus the core query model at the top level.
 * Typing the builder against that interface keeps dashboards and data source in step.
 */
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { StreamFilters, TopologyOptions, LogsOptions } from '../src/core/query';
import type { MeshAuditQuery, MeshAuditQueryType } from '../src/datasource/types';
import { MESH_AUDIT } from './datasources';
import type { FilterVariableName } from './variableMatchers';

/** A Mesh Audit target as the SDK sees it: the data source's query plus cog's variant marker. */
export type MeshAuditTarget = MeshAuditQuery & Dataquery;

export class MeshAuditQueryBuilder implements Builder<Dataquery> {
  private readonly internal: MeshAuditTarget;

  constructor(queryType: MeshAuditQueryType) {
    this.internal = {
      refId: 'A',
      datasource: { ...MESH_AUDIT },
      queryType,
      filters: {},
      // cog marks query variants with this method; JSON.stringify drops it.
      _implementsDataqueryVariant() {},
    };
  }

  build(): MeshAuditTarget {
    return this.internal;
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  hide(hide: boolean): this {
    this.internal.hide = hide;
    return this;
  }

  /** Literal filter values (escaped by the data source's LogQL builder). */
  filters(filters: StreamFilters): this {
    this.internal.filters = { ...filters };
    return this;
  }

  /**
   * Filter each label by the dashboard variable of the same name: `{ namespace: ['$namespace'] }`.
   * The data source interpolates each selected value separately and escapes it through the
   * core LogQL builder, so `$namespace` never reaches LogQL as text.
   */
  filterByVariables(variables: readonly FilterVariableName[]): this {
    const filters: StreamFilters = { ...this.internal.filters };
    for (const name of variables) {
      filters[name] = [`$${name}`];
    }
    this.internal.filters = filters;
    return this;
  }

  topology(options: TopologyOptions): this {
    this.internal.topology = { ...options };
    return this;
  }

  /** Control ids from the catalog; an empty list means all controls. */
  controls(ids: string[]): this {
    this.internal.controls = [...ids];
    return this;
  }

  /** Log classes from the policy; an empty list means all classes. */
  retentionClasses(classes: string[]): this {
    this.internal.retentionClasses = [...classes];
    return this;
  }

  logs(options: LogsOptions): this {
    this.internal.logs = { ...options };
    return this;
  }
}
