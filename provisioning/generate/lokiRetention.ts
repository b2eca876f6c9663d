/**
 * Loki's per-stream retention rules from the policy's log classes, written into
 * provisioning/loki/loki.yaml in place (the rest of the file and its comments are kept).
 *
 * Priority follows the required retention: a stream that falls in several classes (say, access
 * logs of the payments namespace) gets the longest of their periods, because Loki applies the
 * highest-priority matching rule. So every class keeps at least what the policy requires.
 */
import { parseDocument, YAMLMap, YAMLSeq, type Document, type Scalar } from 'yaml';
import { eq, renderSelector, selector } from '../../src/core/logql';
import type { LogClass, LoggingPolicy } from '../../src/core/policy';

export interface RetentionStreamRule {
  selector: string;
  priority: number;
  period: string;
}

export function retentionStreamRules(classes: readonly LogClass[]): RetentionStreamRule[] {
  const distinctDays = [...new Set(classes.map((c) => c.retentionDays))].sort((a, b) => a - b);
  return classes.map((c) => ({
    selector: renderSelector(selector(...Object.entries(c.selector).map(([label, value]) => eq(label, value)))),
    priority: distinctDays.indexOf(c.retentionDays) + 1,
    // Hours: Loki's duration syntax, and exactly retentionDays days.
    period: `${c.retentionDays * 24}h`,
  }));
}

function retentionNode(doc: Document, policy: LoggingPolicy): YAMLSeq {
  const seq = new YAMLSeq();
  retentionStreamRules(policy.logClasses).forEach((rule, i) => {
    const item = doc.createNode(rule) as YAMLMap;
    const period = item.get('period', true) as Scalar;
    period.comment = ` ${policy.logClasses[i].name}: ${policy.logClasses[i].retentionDays} days`;
    seq.items.push(item);
  });
  return seq;
}

/** loki.yaml with limits_config.retention_stream generated from the policy. */
export function renderLokiConfig(current: string, policy: LoggingPolicy): string {
  const doc = parseDocument(current);
  if (doc.errors.length > 0) {
    throw new Error(`provisioning/loki/loki.yaml: ${doc.errors[0].message}`);
  }
  if (!doc.hasIn(['limits_config'])) {
    throw new Error('provisioning/loki/loki.yaml: no limits_config section to put retention_stream in');
  }
  const seq = retentionNode(doc, policy);
  const existing = doc.getIn(['limits_config', 'retention_stream'], true) as YAMLSeq | undefined;
  // Keep the explanation that sits above the key.
  seq.commentBefore = existing?.commentBefore;
  doc.setIn(['limits_config', 'retention_stream'], seq);
  return doc.toString({ lineWidth: 0 });
}
