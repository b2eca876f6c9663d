/**
 * The one reader of a logging policy document (policy.example.yaml's shape, already parsed from
 * YAML or JSON): every key checked once, here, with the offending key named. Provisioning reads
 * the file `complete` (every key required: the generated data source, Loki rules and alert rules
 * must not rest on a default nobody wrote down); the CLI reads it `partial` (keys left out take
 * DEFAULT_POLICY's value). Either way an unknown key or a wrong type is refused, never guessed:
 * a typo would otherwise become a silently wrong threshold or retention rule.
 */
import { CONTROL_IDS } from './controls/catalog';
import { readCustomControls } from './controls/custom';
import { DEFAULT_POLICY, type ControlThresholds, type LogClass, type LoggingPolicy } from './policy';

export class PolicyError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'PolicyError';
  }
}

export type PolicyReadMode = 'complete' | 'partial';

type Doc = Record<string, unknown>;

const isRecord = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

const POLICY_KEYS: ReadonlyArray<keyof LoggingPolicy> = [
  'logClasses',
  'strictMtlsNamespaces',
  'requiredServices',
  'allowedCallers',
  'thresholds',
  'auditWindowDays',
  'controls',
];

/** Each threshold's upper bound: shares are 0..1, durations unbounded. */
const THRESHOLD_MAX: Record<keyof ControlThresholds, number> = {
  minMtlsShare: 1,
  maxErrorShare: 1,
  maxSilenceMinutes: Infinity,
  minAvailability: 1,
  maxUnavailableShare: 1,
};

export function readPolicy(doc: unknown, source: string, mode: PolicyReadMode): LoggingPolicy {
  const fail = (message: string): never => {
    throw new PolicyError(source, message);
  };
  if (!isRecord(doc)) {
    return fail('expected a mapping at the top level');
  }
  const unknownKey = (where: string, key: string, known: readonly string[]) =>
    fail(`unknown key "${where}${key}" (expected one of ${known.join(', ')})`);
  Object.keys(doc)
    .filter((key) => !(POLICY_KEYS as readonly string[]).includes(key))
    .forEach((key) => unknownKey('', key, POLICY_KEYS));

  /** The document's value for `key`, or the default in partial mode; undefined never reaches a reader. */
  const given = <K extends keyof LoggingPolicy>(key: K): unknown => {
    if (doc[key] !== undefined) {
      return doc[key];
    }
    return mode === 'partial' ? DEFAULT_POLICY[key] : fail(`"${key}" is required`);
  };
  const nonEmptyStrings = (value: unknown, where: string): string[] => {
    if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s.trim() === '')) {
      return fail(`"${where}" must be a list of non-empty strings`);
    }
    return [...(value as string[])];
  };
  const number = (value: unknown, where: string, max: number): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      return fail(`"${where}" must be a number between 0 and ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const wholeDays = (value: unknown, where: string): number => {
    const days = number(value, where, Infinity);
    // Loki refuses retention_stream periods under 24h.
    return Number.isInteger(days) && days >= 1
      ? days
      : fail(`${where} must be a whole number of days >= 1, got ${days}`);
  };

  const classes = given('logClasses');
  if (!Array.isArray(classes) || classes.length === 0) {
    fail('"logClasses" must be a non-empty list');
  }
  const names = new Set<string>();
  const logClasses: LogClass[] = (classes as unknown[]).map((c, i) => {
    const where = `logClasses[${i}]`;
    if (!isRecord(c) || typeof c.name !== 'string' || c.name.trim() === '') {
      return fail(`${where} needs a non-empty "name"`);
    }
    if (names.has(c.name)) {
      fail(`${where}: duplicate class name "${c.name}"`);
    }
    names.add(c.name);
    Object.keys(c)
      .filter((key) => !['name', 'selector', 'retentionDays'].includes(key))
      .forEach((key) => unknownKey(`${where}.`, key, ['name', 'selector', 'retentionDays']));
    const selector = c.selector;
    if (!isRecord(selector) || Object.keys(selector).length === 0) {
      return fail(`${where}.selector must map at least one label to a value`);
    }
    for (const [label, value] of Object.entries(selector)) {
      if (typeof value !== 'string' || value === '') {
        fail(`${where}.selector.${label} must be a non-empty string`);
      }
    }
    return {
      name: c.name,
      selector: { ...(selector as Record<string, string>) },
      retentionDays: wholeDays(c.retentionDays, `${where}.retentionDays`),
    };
  });

  const callers = given('allowedCallers');
  if (!isRecord(callers)) {
    return fail('"allowedCallers" must map a service to the list of workloads allowed to call it');
  }
  const allowedCallers: Record<string, string[]> = {};
  for (const [service, list] of Object.entries(callers)) {
    if (service.trim() === '') {
      fail('"allowedCallers" has an empty service name');
    }
    allowedCallers[service] = nonEmptyStrings(list, `allowedCallers.${service}`);
  }

  const t = given('thresholds');
  if (!isRecord(t)) {
    return fail('"thresholds" must be a mapping');
  }
  const thresholdKeys = Object.keys(THRESHOLD_MAX) as Array<keyof ControlThresholds>;
  Object.keys(t)
    .filter((key) => !(thresholdKeys as string[]).includes(key))
    .forEach((key) => unknownKey('thresholds.', key, thresholdKeys));
  const thresholds = Object.fromEntries(
    thresholdKeys.map((key) => {
      const value =
        t[key] ?? (mode === 'partial' ? DEFAULT_POLICY.thresholds[key] : fail(`"thresholds.${key}" is required`));
      return [key, number(value, `thresholds.${key}`, THRESHOLD_MAX[key])];
    })
  ) as unknown as ControlThresholds;

  const auditWindowDays = number(given('auditWindowDays'), 'auditWindowDays', Infinity);
  if (!Number.isInteger(auditWindowDays) || auditWindowDays < 1) {
    fail(`"auditWindowDays" must be a whole number >= 1, got ${auditWindowDays}`);
  }
  return {
    logClasses,
    strictMtlsNamespaces: nonEmptyStrings(given('strictMtlsNamespaces'), 'strictMtlsNamespaces'),
    requiredServices: nonEmptyStrings(given('requiredServices'), 'requiredServices'),
    allowedCallers,
    thresholds,
    auditWindowDays,
    // Optional in both modes: no list is no controls of the policy's own, not a hidden default.
    controls: readCustomControls(doc.controls, CONTROL_IDS, thresholdKeys, fail),
  };
}
