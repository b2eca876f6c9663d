import type { ComponentType } from 'react';
import type { PanelProps } from '@grafana/data';
import { plugin as topology } from '../../src/panels/topology/module';
import { plugin as controls } from '../../src/panels/controls/module';
import { plugin as retention } from '../../src/panels/retention/module';
import { TopologyPanel as SvgTopologyBaseline } from '../../bench/topology-svg-baseline/SvgTopologyPanel';

/** Every Mesh Audit panel the playground can mount, by the directory name under src/panels/. */
export const PANELS: Record<string, { title: string; component: ComponentType<PanelProps<any>> }> = {
  topology: { title: 'Mesh topology', component: topology.panel! },
  controls: { title: 'SOC 2 controls', component: controls.panel! },
  retention: { title: 'Retention coverage', component: retention.panel! },
  // The SVG topology panel the canvas one replaced, for `npm run bench topology`'s ratio.
  'topology-svg-baseline': { title: 'Mesh topology (SVG baseline)', component: SvgTopologyBaseline as ComponentType<PanelProps<any>> },
};
