/**
 * `mesh-audit logql <topology|control ID|retention>`: prints the LogQL the data source sends (its
 * query plan, src/core/plan.ts), as `# <name> (<kind> query)` lines each followed by its query,
 * so the output can be pasted into Grafana Explore or an alert rule.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CONTROL_IDS, getControl } from '../../core/controls';
import { LogqlError, parseDuration } from '../../core/logql';
import { ownQuery, planExpressions, planQuery, type PlanSettings } from '../../core/plan';
import { DEFAULT_POLICY, type LoggingPolicy } from '../../core/policy';
import {
  DEFAULT_LABEL_NAMES,
  DEFAULT_TOPOLOGY_OPTIONS,
  type LogSource,
  type MeshAuditQueryModel,
  type StreamFilters,
  type TopologyGroupBy,
} from '../../core/query';
import { PROFILE_NAMES, type ProfileName } from '../../core/schema';
import { UsageError, type CliIO } from '../io';
import { registerCommand } from '../main';

const USAGE =
  'mesh-audit logql <topology|control ID|retention> [--namespace NS]... [--cluster C]... [--platform P]...\n' +
  '       [--service S]... [--range 1h] [--group-by workload|namespace|cluster|platform]\n' +
  '       [--source normalized|raw] [--profile NAME]... [--policy policy.yaml]';

const GROUP_BYS: readonly TopologyGroupBy[] = ['workload', 'namespace', 'cluster', 'platform'];

function oneOfChoices<T extends string>(value: string, choices: readonly T[], option: string): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function logSource(source: string, profiles: string[]): LogSource {
  if (oneOfChoices(source, ['normalized', 'raw'] as const, 'source') === 'normalized') {
    if (profiles.length > 0) {
      throw new UsageError('--profile applies only with --source raw');
    }
    return { kind: 'normalized' };
  }
  if (profiles.length === 0) {
    throw new UsageError(`--source raw needs at least one --profile (${PROFILE_NAMES.join(', ')})`);
  }
  return { kind: 'raw', profiles: profiles.map((p) => oneOfChoices<ProfileName>(p, PROFILE_NAMES, 'profile')) };
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new UsageError(`policy: ${where} must be a list of strings`);
  }
  return value;
}

/** A policy file: its fields override the defaults; wrong types are refused, not guessed. */
async function loadPolicy(path: string): Promise<LoggingPolicy> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read policy ${path}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`policy ${path} must be a YAML mapping`);
  }
  const p = raw as Record<string, unknown>;
  const thresholds = { ...DEFAULT_POLICY.thresholds };
  if (p.thresholds !== undefined) {
    if (typeof p.thresholds !== 'object' || p.thresholds === null) {
      throw new UsageError('policy: thresholds must be a mapping');
    }
    for (const [key, value] of Object.entries(p.thresholds)) {
      if (!(key in thresholds) || typeof value !== 'number' || !Number.isFinite(value)) {
        throw new UsageError(`policy: thresholds.${key} must be one of ${Object.keys(thresholds).join(', ')} with a number value`);
      }
      thresholds[key as keyof typeof thresholds] = value;
    }
  }
  let logClasses = DEFAULT_POLICY.logClasses;
  if (p.logClasses !== undefined) {
    if (!Array.isArray(p.logClasses)) {
      throw new UsageError('policy: logClasses must be a list');
    }
    logClasses = p.logClasses.map((c: unknown, i: number) => {
      const item = (c ?? {}) as Record<string, unknown>;
      const selector = item.selector as Record<string, unknown> | undefined;
      if (
        typeof item.name !== 'string' ||
        typeof item.retentionDays !== 'number' ||
        typeof selector !== 'object' ||
        selector === null ||
        !Object.values(selector).every((v) => typeof v === 'string')
      ) {
        throw new UsageError(`policy: logClasses[${i}] needs name (string), selector (label: value) and retentionDays (number)`);
      }
      return { name: item.name, selector: selector as Record<string, string>, retentionDays: item.retentionDays };
    });
  }
  return {
    ...DEFAULT_POLICY,
    logClasses,
    strictMtlsNamespaces: stringList(p.strictMtlsNamespaces, 'strictMtlsNamespaces'),
    requiredServices: stringList(p.requiredServices, 'requiredServices'),
    thresholds,
    auditWindowDays: typeof p.auditWindowDays === 'number' ? p.auditWindowDays : DEFAULT_POLICY.auditWindowDays,
  };
}

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
  const validIds = `valid control ids: ${CONTROL_IDS.join(', ')}`;

  let model: Partial<MeshAuditQueryModel>;
  if (kind === 'topology' && rest.length === 0) {
    model = { queryType: 'topology', filters, topology: { ...DEFAULT_TOPOLOGY_OPTIONS, groupBy: oneOfChoices(values['group-by'], GROUP_BYS, 'group-by') } };
  } else if (kind === 'control') {
    if (rest.length !== 1) {
      throw new UsageError(`"logql control" needs exactly one control id; ${validIds}`);
    }
    if (!getControl(rest[0])) {
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
    if (plan.type === 'controls' && plan.queries.every((q) => q.expr === null)) {
      lines.push(...plan.queries.map((q) => `# ${q.controlId}: no query, ${q.reason}`));
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
