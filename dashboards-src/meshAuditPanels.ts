/**
 * Foundation-SDK panel builders for the suite's own panels (the SDK's "custom panel type").
 * Panel type ids come from each panel's plugin.json and options are typed by the panel's own
 * options interface, so a renamed id or option breaks the type check, not a dashboard.
 */
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import topologyPlugin from '../src/panels/topology/plugin.json';
import controlsPlugin from '../src/panels/controls/plugin.json';
import retentionPlugin from '../src/panels/retention/plugin.json';
import type { TopologyPanelOptions } from '../src/panels/topology/types';
import type { ControlsPanelOptions } from '../src/panels/controls/types';
import type { RetentionPanelOptions } from '../src/panels/retention/types';
import { MESH_AUDIT } from './datasources';

export const MESH_AUDIT_PANEL_TYPES = [topologyPlugin.id, controlsPlugin.id, retentionPlugin.id] as const;

/** A panel of one of our plugins, reading from the Mesh Audit data source. */
abstract class MeshAuditPanelBuilder<Options extends object> extends PanelBuilder {
  protected constructor(type: string) {
    super();
    this.internal.type = type;
    this.internal.datasource = { ...MESH_AUDIT };
  }

  /** Options not given here take the panel's own defaults (from its module's option builder). */
  panelOptions(options: Partial<Options>): this {
    this.internal.options = { ...(this.internal.options ?? {}), ...options };
    return this;
  }
}

export class TopologyPanelBuilder extends MeshAuditPanelBuilder<TopologyPanelOptions> {
  constructor() {
    super(topologyPlugin.id);
  }
}

export class ControlsPanelBuilder extends MeshAuditPanelBuilder<ControlsPanelOptions> {
  constructor() {
    super(controlsPlugin.id);
  }
}

export class RetentionPanelBuilder extends MeshAuditPanelBuilder<RetentionPanelOptions> {
  constructor() {
    super(retentionPlugin.id);
  }
}
