/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from '../../src/core/logql';
import { checkLogqlSyntax } from '../../src/core/logql/validate';
import { CONTROL_CATALOG } from '../../src/core/controls';
import type { LogClass } from '../../src/core/policy';
import { resolveSettings } from '../../src/datasource/settings';
import { generateProvisioning } from '../../provisioning/generate/outputs';
import { parsePolicyYaml } from '../../provisioning/generate/policyFile';
import { retentionStreamRules } from '../../provisioning/generate/lokiRetention';
import { ROOT, findPlainSecrets, findPlainSecretsInText, isEnvReference, isOtherConfigFile, isYamlFile, listFiles, parseEqualitySelector, readText, readYaml } from './support';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Loki writes `0s` for "off"; the LogQL duration parser wants a positive duration. */
const lokiDuration = (text: string) => (/^0+[a-z]*$/.test(String(text)) ? 0 : parseDuration(String(text)));

const policy = () => parsePolicyYaml(readText('policy.example.yaml'), 'policy.example.yaml');
const datasourceFiles = () => listFiles('provisioning/grafana/datasources', isYamlFile);
const allDatasources = () => datasourceFiles().flatMap((f) => readYaml(f).datasources as any[]);

describe('every YAML file under provisioning/', () => {
  const files = listFiles('provisioning', isYamlFile);

  it('finds the files Grafana and Loki need', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'provisioning/loki/loki.yaml',
        'provisioning/grafana/datasources/loki.yaml',
        'provisioning/grafana/datasources/mesh-audit.yaml',
        'provisioning/grafana/plugins/apps.yaml',
        'provisioning/grafana/dashboards/provider.yaml',
        'provisioning/grafana/alerting/contact-points.yaml',
        'provisioning/grafana/alerting/notification-policies.yaml',
      ])
    );
  });

  it.each(files)('%s parses', (file) => {
    expect(() => readYaml(file)).not.toThrow();
    expect(readYaml(file)).toBeTruthy();
  });

  it.each(files)('%s holds no plain-text secret', (file) => {
    expect(findPlainSecrets(readYaml(file))).toEqual([]);
  });

  const otherConfigs = listFiles('provisioning', isOtherConfigFile);
  it.each(otherConfigs.length > 0 ? otherConfigs : ['(none yet)'])('%s (not YAML) holds no plain-text secret', (file) => {
    if (file !== '(none yet)') {
      expect(findPlainSecretsInText(readText(file))).toEqual([]);
    }
  });
});

describe('Grafana data sources', () => {
  it('have the keys file provisioning requires and unique UIDs', () => {
    for (const file of datasourceFiles()) {
      expect(readYaml(file).apiVersion).toBe(1);
    }
    const sources = allDatasources();
    for (const ds of sources) {
      expect(ds).toEqual(expect.objectContaining({ name: expect.any(String), type: expect.any(String), uid: expect.any(String) }));
      expect(['proxy', 'direct']).toContain(ds.access);
      // Only our frontend data source works without a URL: it reaches Loki through lokiUid.
      if (ds.type !== 'meshaudit-loki-datasource') {
        expect(ds.url).toMatch(/^https?:\/\//);
      }
    }
    const uids = sources.map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('provision Loki under the fixed UID with the tenant header from the environment', () => {
    const loki = allDatasources().find((d) => d.uid === 'loki');
    expect(loki).toEqual(expect.objectContaining({ type: 'loki', url: 'http://loki:3100' }));
    expect(loki.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
    expect(isEnvReference(loki.secureJsonData.httpHeaderValue1)).toBe(true);
  });

  it('link trace_id only to data sources that are provisioned', () => {
    const byUid = new Map(allDatasources().map((d) => [d.uid, d]));
    const fields = byUid.get('loki').jsonData.derivedFields as any[];
    expect(fields.length).toBeGreaterThan(0);
    const targets = new Set(fields.map((f) => f.datasourceUid));
    expect([...targets].sort()).toEqual(['jaeger', 'tempo', 'zipkin']);
    for (const f of fields) {
      expect(['tempo', 'jaeger', 'zipkin']).toContain(byUid.get(f.datasourceUid)?.type);
      // `$${__value.raw}` is how a literal `${__value.raw}` survives Grafana's env interpolation.
      expect(f.url).toBe('$${__value.raw}');
      if (f.matcherType === 'regex') {
        expect(new RegExp(f.matcherRegex).exec('{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}')?.[1]).toBe(
          '4bf92f3577b34da6a3ce929d0e0e4736'
        );
      } else {
        expect(f.matcherRegex).toBe('trace_id');
      }
    }
  });

  it('point the Mesh Audit data source at Loki and carry the policy file verbatim', () => {
    const sources = allDatasources();
    const meshAudit = sources.find((d) => d.uid === 'mesh-audit');
    expect(meshAudit.type).toBe('meshaudit-loki-datasource');
    const loki = sources.find((d) => d.uid === meshAudit.jsonData.lokiUid);
    expect(loki?.type).toBe('loki');
    expect(meshAudit.jsonData.policy).toEqual(policy());
    // The data source reads this jsonData exactly as provisioned: nothing falls back to defaults.
    const settings = resolveSettings(meshAudit.jsonData);
    expect(settings.policy).toEqual(policy());
    expect(settings.logSource).toEqual({ kind: 'normalized' });
    expect(settings.lokiUid).toBe('loki');
  });

  it('match the generator output (no drift from policy.example.yaml)', () => {
    for (const file of generateProvisioning(ROOT)) {
      expect({ path: file.path, content: readText(file.path) }).toEqual(file);
    }
  });
});

describe('Grafana app, dashboards and alerting resources', () => {
  it('enable the Mesh Audit app by the id in src/plugin.json', () => {
    const apps = readYaml('provisioning/grafana/plugins/apps.yaml');
    const pluginJson = JSON.parse(readFileSync(join(ROOT, 'src/plugin.json'), 'utf8'));
    expect(apps.apiVersion).toBe(1);
    expect(apps.apps.map((a: any) => a.type)).toEqual([pluginJson.id]);
  });

  it('load dashboards from a file provider into the Mesh Audit folder', () => {
    const file = readYaml('provisioning/grafana/dashboards/provider.yaml');
    expect(file.apiVersion).toBe(1);
    const [provider] = file.providers;
    expect(provider).toEqual(expect.objectContaining({ name: expect.any(String), type: 'file', folder: 'Mesh Audit' }));
    expect(provider.options.path).toMatch(/^\//);
  });

  it('provision every data source the generated dashboards refer to', () => {
    const provisioned = new Set(allDatasources().map((d) => d.uid));
    const refs = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
      } else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        const ds = o.datasource as { uid?: unknown } | undefined;
        if (ds && typeof ds === 'object' && typeof ds.uid === 'string') {
          refs.add(ds.uid);
        }
        Object.values(o).forEach(walk);
      }
    };
    const dashboards = listFiles('dashboards', (n) => n.endsWith('.json'));
    expect(dashboards.length).toBeGreaterThan(0);
    dashboards.forEach((f) => walk(JSON.parse(readText(f))));
    // Template variables (${ds}) and Grafana's built-in pseudo data sources resolve at run time.
    const unresolved = [...refs].filter((uid) => !provisioned.has(uid) && !uid.startsWith('$') && !/^(-- .* --|grafana|__expr__)$/.test(uid));
    expect(unresolved).toEqual([]);
  });

  it('route every notification policy to a provisioned contact point', () => {
    const cps = readYaml('provisioning/grafana/alerting/contact-points.yaml');
    expect(cps.apiVersion).toBe(1);
    const names = new Set<string>();
    for (const cp of cps.contactPoints) {
      expect(cp.name).toEqual(expect.any(String));
      names.add(cp.name);
      for (const r of cp.receivers) {
        expect(r).toEqual(expect.objectContaining({ uid: expect.any(String), type: expect.any(String), settings: expect.any(Object) }));
        // Addresses and URLs come from the environment.
        for (const key of ['url', 'addresses']) {
          if (key in r.settings) {
            expect(isEnvReference(r.settings[key])).toBe(true);
          }
        }
      }
    }
    const policies = readYaml('provisioning/grafana/alerting/notification-policies.yaml');
    expect(policies.apiVersion).toBe(1);
    const receivers = (p: any): string[] => [p.receiver, ...(p.routes ?? []).flatMap(receivers)].filter(Boolean);
    const used = policies.policies.flatMap(receivers);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((r: string) => !names.has(r))).toEqual([]);
  });
});

describe('alert rules (generated)', () => {
  const RULES = 'provisioning/grafana/alerting/mesh-audit-rules.yaml';
  const file = () => readYaml(RULES);
  const rules = () => file().groups.flatMap((g: any) => g.rules as any[]);

  it('have the keys Grafana file provisioning requires', () => {
    expect(file().apiVersion).toBe(1);
    for (const group of file().groups) {
      expect(group).toEqual(expect.objectContaining({ name: expect.any(String), folder: expect.any(String), rules: expect.any(Array) }));
      expect(lokiDuration(group.interval)).toBeGreaterThanOrEqual(10_000);
    }
    for (const rule of rules()) {
      expect(rule.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(rule.title).toEqual(expect.any(String));
      expect(rule.data.map((d: any) => d.refId)).toContain(rule.condition);
      expect(['Alerting', 'NoData', 'OK', 'KeepLast']).toContain(rule.noDataState);
      expect(['Alerting', 'Error', 'OK', 'KeepLast']).toContain(rule.execErrState);
      expect(() => lokiDuration(rule.for)).not.toThrow();
      for (const d of rule.data) {
        expect(d).toEqual(
          expect.objectContaining({ refId: expect.any(String), datasourceUid: expect.any(String), model: expect.any(Object) })
        );
        expect(d.relativeTimeRange).toEqual({ from: expect.any(Number), to: expect.any(Number) });
      }
    }
    const uids = rules().map((r: any) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('cover every control of the catalog that an instant query measures, and name the others', () => {
    const instant = CONTROL_CATALOG.filter((c) => !['continuity', 'retention', 'anomalies'].includes(c.evidence.kind));
    expect(rules().map((r: any) => r.labels.soc2_control).sort()).toEqual(instant.map((c) => c.id).sort());
    expect(readText('provisioning/grafana/alerting/mesh-audit-rules.yaml')).toMatch(/^# Not generated: CC7\.2-baseline-anomalies \(judged against each service's own baseline.*; CC4\.1-logging-continuity \(judged over the whole audit window.*; C1\.1-retention-kept \(judged from Loki's index and limits/m);
  });

  it('query the Loki data source (not the frontend-only Mesh Audit one) with LogQL that parses', () => {
    const lokiUids = new Set(allDatasources().filter((d) => d.type === 'loki').map((d) => d.uid));
    for (const rule of rules()) {
      const queries = rule.data.filter((d: any) => d.datasourceUid !== '__expr__');
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        expect(lokiUids.has(q.datasourceUid)).toBe(true);
        expect(q.model.queryType).toBe('instant');
        expect(q.relativeTimeRange.from).toBeGreaterThan(0);
        expect({ uid: rule.uid, problem: checkLogqlSyntax(q.model.expr) }).toEqual({ uid: rule.uid, problem: null });
        // Grafana alerting does not expand dashboard variables; a `$` would reach Loki verbatim.
        expect(q.model.expr).not.toContain('$');
      }
    }
  });

  it('chain expressions only to refIds that exist, ending in a threshold from the policy', () => {
    const p = policy();
    for (const rule of rules()) {
      const refIds = new Set(rule.data.map((d: any) => d.refId));
      for (const d of rule.data.filter((x: any) => x.datasourceUid === '__expr__')) {
        expect(refIds.has(d.model.expression)).toBe(true);
      }
      const threshold = rule.data.find((d: any) => d.refId === rule.condition).model;
      expect(threshold.type).toBe('threshold');
      const [{ evaluator }] = threshold.conditions;
      if (rule.labels.soc2_control === 'CC6.7-mtls') {
        expect(evaluator).toEqual({ type: 'lt', params: [p.thresholds.minMtlsShare] });
      }
      if (rule.labels.soc2_control === 'CC7.2-error-anomaly') {
        expect(evaluator).toEqual({ type: 'gt', params: [p.thresholds.maxErrorShare] });
      }
    }
  });

  it('carry the labels the notification policy routes on, and no `$` that Grafana would expand', () => {
    const routes = readYaml('provisioning/grafana/alerting/notification-policies.yaml').policies[0].routes as any[];
    const routedLabels = new Set(routes.flatMap((r) => r.object_matchers.map((m: string[]) => m[0])));
    for (const rule of rules()) {
      for (const label of routedLabels) {
        expect(Object.keys(rule.labels)).toContain(label);
      }
      expect(JSON.stringify([rule.labels, rule.annotations])).not.toContain('$');
    }
  });
});

describe('Loki configuration', () => {
  const loki = () => readYaml('provisioning/loki/loki.yaml');

  it('requires a tenant and accepts structured metadata', () => {
    expect(loki().auth_enabled).toBe(true);
    expect(loki().limits_config.allow_structured_metadata).toBe(true);
  });

  it('uses schema v13 on TSDB with a 24h index period (what retention needs)', () => {
    const configs = loki().schema_config.configs;
    const current = configs[configs.length - 1];
    expect(current).toEqual(expect.objectContaining({ store: 'tsdb', schema: 'v13' }));
    expect(current.index.period).toBe('24h');
  });

  it('enforces retention in the compactor with a delete-request store', () => {
    const { compactor } = loki();
    expect(compactor.retention_enabled).toBe(true);
    expect(compactor.delete_request_store).toEqual(expect.any(String));
    expect(lokiDuration(loki().limits_config.retention_period)).toBeGreaterThanOrEqual(DAY);
  });

  it('keeps every retention_stream rule at 24h or more', () => {
    const rules = loki().limits_config.retention_stream as any[];
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      expect(lokiDuration(r.period)).toBeGreaterThanOrEqual(DAY);
      expect(Number.isInteger(r.priority)).toBe(true);
    }
  });

  it('retains every stream at least as long as every log class it belongs to requires', () => {
    const rules = (loki().limits_config.retention_stream as any[]).map((r) => ({
      labels: parseEqualitySelector(r.selector),
      priority: r.priority as number,
      ms: lokiDuration(r.period),
    }));
    expect(unmetRequirements(policy().logClasses, rules)).toEqual([]);
  });

  it('is generated so that overlapping classes keep the longest requirement (any policy)', () => {
    const classes: LogClass[] = [
      { name: 'access', selector: { log_type: 'access' }, retentionDays: 400 },
      { name: 'dev-access', selector: { log_type: 'access', namespace: 'dev' }, retentionDays: 30 },
      { name: 'pci', selector: { namespace: 'payments' }, retentionDays: 730 },
      { name: 'audit', selector: { log_type: 'audit' }, retentionDays: 400 },
    ];
    const rules = retentionStreamRules(classes).map((r, i) => ({
      labels: classes[i].selector,
      priority: r.priority,
      ms: lokiDuration(r.period),
    }));
    expect(unmetRequirements(classes, rules)).toEqual([]);
    // Values are escaped into the selector, not spliced.
    const [odd] = retentionStreamRules([{ name: 'x', selector: { namespace: 'a"b' }, retentionDays: 2 }]);
    expect(odd).toEqual({ selector: '{namespace="a\\"b"}', priority: 1, period: '48h' });
  });

  it('allows queries over the whole audit window', () => {
    expect(lokiDuration(loki().limits_config.max_query_length)).toBeGreaterThanOrEqual(policy().auditWindowDays * DAY);
    const lookback = lokiDuration(loki().limits_config.max_query_lookback ?? '0s');
    expect(lookback === 0 || lookback >= policy().auditWindowDays * DAY).toBe(true);
  });
});

/**
 * Streams labelled with the union of every combination of class selectors that can co-exist;
 * for each, Loki's choice (highest priority, then shortest) must cover every class it is in.
 */
function unmetRequirements(
  classes: ReadonlyArray<{ name: string; selector: Record<string, string>; retentionDays: number }>,
  rules: ReadonlyArray<{ labels: Record<string, string>; priority: number; ms: number }>
): string[] {
  const matches = (want: Record<string, string>, stream: Record<string, string>) =>
    Object.entries(want).every(([k, v]) => stream[k] === v);
  const problems = new Set<string>();
  for (let mask = 1; mask < 1 << classes.length; mask++) {
    const chosen = classes.filter((_, i) => mask & (1 << i));
    const stream: Record<string, string> = {};
    let contradictory = false;
    for (const [k, v] of chosen.flatMap((c) => Object.entries(c.selector))) {
      contradictory ||= k in stream && stream[k] !== v;
      stream[k] = v;
    }
    if (contradictory) {
      continue; // no stream carries both values of one label
    }
    const inClasses = classes.filter((c) => matches(c.selector, stream));
    const applicable = rules.filter((r) => matches(r.labels, stream));
    if (applicable.length === 0) {
      problems.add(`${JSON.stringify(stream)}: no retention_stream rule`);
      continue;
    }
    const top = Math.max(...applicable.map((r) => r.priority));
    const effective = Math.min(...applicable.filter((r) => r.priority === top).map((r) => r.ms));
    for (const c of inClasses) {
      if (effective < c.retentionDays * DAY) {
        problems.add(`${JSON.stringify(stream)}: kept ${effective / DAY} days, ${c.name} requires ${c.retentionDays}`);
      }
    }
  }
  return [...problems];
}

describe('the checks themselves', () => {
  it('catch a retention rule set that shortens an overlapping class', () => {
    const classes: LogClass[] = [
      { name: 'access', selector: { log_type: 'access' }, retentionDays: 365 },
      { name: 'payments', selector: { log_type: 'access', namespace: 'payments' }, retentionDays: 730 },
    ];
    // The narrower rule wins on priority but is shorter than what both classes need.
    const rules: Array<{ labels: Record<string, string>; priority: number; ms: number }> = [
      { labels: { log_type: 'access' }, priority: 1, ms: 365 * DAY },
      { labels: { log_type: 'access', namespace: 'payments' }, priority: 2, ms: 100 * DAY },
    ];
    expect(unmetRequirements(classes, rules)).toEqual([
      '{"log_type":"access","namespace":"payments"}: kept 100 days, access requires 365',
      '{"log_type":"access","namespace":"payments"}: kept 100 days, payments requires 730',
    ]);
  });

  it('flag a literal secret and accept environment references', () => {
    const doc = {
      datasources: [
        { basicAuthPassword: 'hunter2', jsonData: { token: '${TOKEN}' }, secureJsonData: { httpHeaderValue1: 'Bearer abc' } },
        { secureJsonData: { password: '$__file{/run/secrets/pw}', apiKey: '$__env{API_KEY}' } },
      ],
    };
    expect(findPlainSecrets(doc).map((f) => f.path)).toEqual([
      'datasources[0].basicAuthPassword',
      'datasources[0].secureJsonData.httpHeaderValue1',
    ]);
  });

  it('flag literal secrets in non-YAML configs and accept env or file references', () => {
    const alloy = [
      'basic_auth {',
      '  username = "mesh"',
      '  password = sys.env("LOKI_PASSWORD")',
      '  password_file = "/run/secrets/loki"',
      '}',
      'bearer_token = "abc123"',
      '# token = "commented out"',
    ].join('\n');
    expect(findPlainSecretsInText(alloy)).toEqual(['bearer_token = "abc123"']);
    expect(findPlainSecretsInText('[OUTPUT]\n    http_passwd  s3cr3t\n    HTTP_Passwd ${LOKI_PASSWORD}')).toEqual(['http_passwd  s3cr3t']);
    expect(findPlainSecretsInText('auth.strategy = "basic"\nauth.password = "hunter2"')).toEqual(['auth.password = "hunter2"']);
    expect(findPlainSecretsInText('password => "${LOKI_PASSWORD}"\napi_key => "k-123"')).toEqual(['api_key => "k-123"']);
    expect(findPlainSecretsInText(`password "#{ENV['LOKI_PASSWORD']}"\nredact_token = true`)).toEqual([]);
  });

  it('reject a policy file with a clear message', () => {
    const base = readText('policy.example.yaml');
    expect(() => parsePolicyYaml(base.replace('retentionDays: 365', 'retentionDays: 0.5'), 'p.yaml')).toThrow(
      /p\.yaml: logClasses\[0\]\.retentionDays must be a whole number of days >= 1/
    );
    expect(() => parsePolicyYaml(base.replace('auditWindowDays:', 'auditWindowDay:'), 'p.yaml')).toThrow(/unknown key "auditWindowDay"/);
    expect(() => parsePolicyYaml(base.replace('maxErrorShare: 0.05', 'maxErrorShare: 5'), 'p.yaml')).toThrow(
      /thresholds\.maxErrorShare" must be a number between 0 and 1/
    );
    expect(() => parsePolicyYaml('logClasses: [', 'p.yaml')).toThrow(/p\.yaml: not valid YAML/);
  });
});
