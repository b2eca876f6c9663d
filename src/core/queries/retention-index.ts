/**
 * The index requests behind the retention query: log classes grouped so that one
 * `index/volume_range` request (per max_query_length window) answers a whole group.
 *
 * A group shares one label: its selector is `label=~"v1|v2|..."` (escaped literals) plus the stream
 * filters, and the answer is aggregated by every label any class of the group selects on, so each
 * returned series falls in a class by plain label equality, client side. Classes of the example
 * policy all select on `log_type`: one group, one request per window for every class.
 *
 * Those labels are asked for as `label=~".*"` matchers, not as Loki's `targetLabels`: Loki adds a
 * `label=~".+"` matcher for every target label the selector lacks (v3.7.3
 * pkg/util/series_volume.go, prepareLabelsAndMatchersWithTargets), so a stream without one of them
 * (an audit stream has no `namespace`) would vanish from the answer and its class read as a gap.
 * A matcher that matches the empty string keeps those streams and still puts the label, where a
 * stream has it, on its series (seen on Loki 3.7.3).
 */
import { assertLabelName, matchesPattern, oneOf, renderSelector, selector } from '../logql';
import type { RetentionQuery } from './retention';

export interface RetentionIndexRequest {
  /** Escaped stream selector covering every class of the group. */
  selector: string;
  /** Labels on each series where its streams have them: the group's class labels plus the extra ones asked for. */
  labels: string[];
  /** Class names answered by this request. */
  classes: string[];
}

/**
 * `extraLabels` are labels the caller must see on each series as well, e.g. those of Loki's
 * retention_stream rules, so each stream group's configured retention can be resolved.
 */
export function buildRetentionIndexRequests(
  queries: readonly RetentionQuery[],
  extraLabels: readonly string[] = []
): RetentionIndexRequest[] {
  extraLabels.forEach((label) => assertLabelName(label));
  const requests: RetentionIndexRequest[] = [];
  let remaining = [...queries];
  while (remaining.length > 0) {
    const counts = new Map<string, number>();
    for (const q of remaining) {
      for (const label of Object.keys(q.classSelector)) {
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
    }
    // The label most classes share makes the fewest groups; ties go by name so plans are stable.
    const [shared] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    const group = remaining.filter((q) => Object.hasOwn(q.classSelector, shared));
    remaining = remaining.filter((q) => !Object.hasOwn(q.classSelector, shared));
    const values = [...new Set(group.map((q) => q.classSelector[shared]))].sort();
    const labels = new Set<string>(extraLabels);
    group.forEach((q) => Object.keys(q.classSelector).forEach((l) => labels.add(l)));
    const filters = group[0].filterMatchers;
    const kept = [...labels].filter((l) => l !== shared && !filters.some((m) => m.label === l)).sort();
    requests.push({
      selector: renderSelector(selector(oneOf(shared, values), ...filters, ...kept.map((l) => matchesPattern(l, '.*')))),
      labels: [...labels].sort(),
      classes: group.map((q) => q.name),
    });
  }
  return requests;
}
