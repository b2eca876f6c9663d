/**
 * `mesh-audit logql <topology|control ID|retention>`: prints the LogQL the data source sends (its
 * query plan, src/core/plan.ts), as `# <name> (<kind> query)` lines each followed by its query,
 * so the output can be pasted into Grafana Explore or an alert rule.
 */
import { parseArgs } from 'node:util';
import { controlsOf, getControl } from '../../core/controls';
import { LogqlError, parseDuration } from '../../core/logql';
import { ownQuery, planExpressions, planQuery, type PlanSettings } from '../../core/plan';
import { DEFAULT_POLICY } from '../../core/policy';
import {
  DEFAULT_LABEL_NAMES,
  DEFAULT_TOPOLOGY_OPTIONS,
  type MeshAuditQueryModel,
  type StreamFilters,
  type TopologyGroupBy,
} from '../../core/query';
import { controlInScope } from '../../core/queries/controls';
import { UsageError, type CliIO } from '../io';
import { loadPolicy, logSource, oneOfChoices } from '../options';
import { registerCommand } from '../main';

const USAGE =
  'mesh-audit logql <topology|control ID|retention> [--namespace NS]... [--cluster C]... [--platform P]...\n' +
  '       [--service S]... [--range 1h] [--group-by workload|namespace|cluster|platform]\n' +
  '       [--source normalized|raw] [--profile NAME]... [--policy policy.yaml]';

const GROUP_BYS: readonly TopologyGroupBy[] = ['workload', 'namespace', 'cluster', 'platform'];

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      namespace: { type: 'string', multiple: true },
      cluster: { type: 'string', multiple: true },
      platform: { type: 'string', multiple: true },
      service: { type: 'string', multiple: true },
      range: { type: 'string', default: '1h' },
      'group-by': { type: 'string', default: 'workload' },
      source: { type: 'string', default: 'normalized' },
      profile: { type: 'string', multiple: true },
      policy: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [kind, ...rest] = positionals;
  let range: number;
  try {
    range = parseDuration(values.range);
  } catch (error) {
    throw new UsageError(`--range: ${(error as Error).message}`);
  }
  const filters: StreamFilters = {
    namespace: values.namespace,
    cluster: values.cluster,
    platform: values.platform,
    service: values.service,
  };
  const settings: PlanSettings = {
    logSource: logSource(values.source, values.profile ?? []),
    labelNames: DEFAULT_LABEL_NAMES,
    policy: values.policy ? await loadPolicy(values.policy) : DEFAULT_POLICY,
  };
  const validIds = `valid control ids: ${controlsOf(settings.policy).map((c) => c.id).join(', ')}`;

  let model: Partial<MeshAuditQueryModel>;
  if (kind === 'topology' && rest.length === 0) {
    model = { queryType: 'topology', filters, topology: { ...DEFAULT_TOPOLOGY_OPTIONS, groupBy: oneOfChoices(values['group-by'], GROUP_BYS, 'group-by') } };
  } else if (kind === 'control') {
    if (rest.length !== 1) {
      throw new UsageError(`"logql control" needs exactly one control id; ${validIds}`);
    }
    if (!getControl(rest[0], settings.policy)) {
      throw new UsageError(`unknown control ${JSON.stringify(rest[0])}; ${validIds}`);
    }
    model = { queryType: 'controls', filters, controls: [rest[0]] };
  } else if (kind === 'retention' && rest.length === 0) {
    model = { queryType: 'retention', filters };
  } else {
    throw new UsageError(`expected "topology", "control ID" or "retention"${kind ? `, got ${JSON.stringify(positionals.join(' '))}` : ''}`);
  }

  const lines: string[] = [];
  try {
    // The data source's own plan: the same queries, in the order it sends them.
    const plan = planQuery(model, settings, range);
    if (plan.type === 'controls') {
      lines.push(...plan.queries.filter((q) => !controlInScope(q)).map((q) => `# ${q.controlId}: no query, ${q.reason}`));
    }
    for (const e of planExpressions(plan)) {
      lines.push(`# ${e.name} (${e.kind} query)`, e.expr);
    }
    // The data source reads these from the counts table; alert rules and Explore run them as they are.
    if (plan.type === 'controls') {
      for (const q of plan.queries.filter((c) => c.expr !== null && !ownQuery(c.controlId))) {
        lines.push(`# ${q.controlId} measure, as alert rules evaluate it (instant query, not sent by the data source)`, q.expr!);
      }
    }
  } catch (error) {
    if (error instanceof LogqlError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  io.stdout.write(lines.map((line) => `${line}\n`).join(''));
  return 0;
}

registerCommand({
  name: 'logql',
  summary: 'print the LogQL the data source sends (topology, one control, retention)',
  usage: USAGE,
  run,
});
