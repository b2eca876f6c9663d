/**
 * The demo as the playground bundle uses it: the policy is policy.example.yaml itself (bundled as
 * text by scripts/playground.mjs, parsed by the same reader provisioning uses).
 */
import { dateTime, type TimeRange } from '@grafana/data';
import policyYaml from '../../../policy.example.yaml';
import { parsePolicyYaml } from '../../../provisioning/generate/policyFile';
import { createDemo, type Demo, type DemoPanel } from './index';

let demo: Demo | undefined;

export function playgroundDemo(): Demo {
  demo ??= createDemo(parsePolicyYaml(policyYaml, 'policy.example.yaml'));
  return demo;
}

export const isDemoPanel = (panel: string): panel is DemoPanel => panel === 'topology' || panel === 'controls' || panel === 'retention';

/** The time range a demo panel's frames cover (the panels read it like Grafana's). */
export function demoTimeRange(panel: DemoPanel): TimeRange {
  const d = playgroundDemo();
  const r = panel === 'retention' ? d.retentionRange : d.range;
  const from = dateTime(r.fromMs);
  const to = dateTime(r.toMs);
  return { from, to, raw: { from, to } };
}
