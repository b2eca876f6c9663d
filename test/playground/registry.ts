import type { ComponentType } from 'react';
import type { PanelProps } from '@grafana/data';
import { plugin as topology } from '../../src/panels/topology/module';
import { plugin as controls } from '../../src/panels/controls/module';
import { plugin as retention } from '../../src/panels/retention/module';

/** Every Mesh Audit panel the playground can mount, by the directory name under src/panels/. */
export const PANELS: Record<string, { title: string; component: ComponentType<PanelProps<any>> }> = {
  topology: { title: 'Mesh topology', component: topology.panel! },
  controls: { title: 'SOC 2 controls', component: controls.panel! },
  retention: { title: 'Retention coverage', component: retention.panel! },
};
