/**
 * The demo as the playground bundle uses it: the policy is policy.example.yaml itself (bundled as
 * text by scripts/playground.mjs, parsed by the same reader provisioning uses), the answers the
 * real-Loki conformance run recorded for the window shipped by Promtail (loggen → Promtail → Loki).
 */
import { dateTime, type TimeRange } from '@grafana/data';
import policyYaml from '../../../policy.example.yaml';
import recording from '../../fixtures/loki-recorded/normalized-promtail.json';
import { parsePolicyYaml } from '../../../provisioning/generate/policyFile';
import type { RecordedAnswer } from '../../support/grafanaRuntime';
import { createDemo, type Demo, type DemoPanel } from './index';

let demo: Demo | undefined;

/** Runs the recorded queries once; the playground waits for it before it takes mount requests. */
export async function loadDemo(): Promise<Demo> {
  demo ??= await createDemo(parsePolicyYaml(policyYaml, 'policy.example.yaml'), recording.answers as RecordedAnswer[]);
  return demo;
}

export function playgroundDemo(): Demo {
  if (!demo) {
    throw new Error('The demo frames are not loaded yet: await loadDemo() first.');
  }
  return demo;
}

export const isDemoPanel = (panel: string): panel is DemoPanel => panel === 'topology' || panel === 'controls' || panel === 'retention';

/** The time range the demo frames cover (the panels read it like Grafana's). */
export function demoTimeRange(): TimeRange {
  const r = playgroundDemo().range;
  const from = dateTime(r.fromMs);
  const to = dateTime(r.toMs);
  return { from, to, raw: { from, to } };
}
