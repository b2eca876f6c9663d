/** @jest-environment node */
/**
 * Dashboards as code: the checked-in dashboards/*.json are exactly what dashboards-src
 * generates, are well-formed Grafana dashboards, and every query in them is valid for its data
 * source (LogQL parses after Grafana's own variable interpolation; Mesh Audit targets are
 * well-typed).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VariableHide, VariableRefresh, VariableSort, defaultDashboard } from '@grafana/schema';
import type { Dashboard as SdkDashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { checkLogqlSyntax } from '../../src/core/logql/validate';
import { renderSelector, selector } from '../../src/core/logql';
import { DASHBOARDS, renderDashboards } from '../../dashboards-src/index';
import { loadPolicy } from '../../dashboards-src/policy';
import { toStableJson } from '../../dashboards-src/stableJson';
import { controlsDashboard } from '../../dashboards-src/dashboards/controls';
import { evidenceDashboard } from '../../dashboards-src/dashboards/evidence';
import { overviewDashboard } from '../../dashboards-src/dashboards/overview';
import { retentionDashboard } from '../../dashboards-src/dashboards/retention';
import { MESH_AUDIT_PANEL_TYPES } from '../../dashboards-src/meshAuditPanels';
import { FILTER_VARIABLES, variableMatcher } from '../../dashboards-src/variableMatchers';
import appPluginJson from '../../src/plugin.json';

const ROOT = resolve(__dirname, '../..');
const DASHBOARD_DIR = join(ROOT, 'dashboards');
const policy = loadPolicy(ROOT);

/** `VariableType` of @grafana/schema (a string union there, so listed here). */
const VARIABLE_TYPES = [
  'query',
  'adhoc',
  'groupby',
  'constant',
  'datasource',
  'interval',
  'textbox',
  'custom',
  'system',
  'snapshot',
  'switch',
];
const enumValues = (e: object) => Object.values(e).filter((v) => typeof v === 'number');

/** Panel types Grafana ships (plus `row`); anything else must be one of ours. */
const CORE_PANEL_TYPES = new Set([
  'row',
  'timeseries',
  'stat',
  'table',
  'logs',
  'nodeGraph',
  'text',
  'gauge',
  'bargauge',
  'barchart',
  'piechart',
  'state-timeline',
  'status-history',
  'heatmap',
  'histogram',
  'dashlist',
  'annolist',
]);
const QUERY_TYPES = ['topology', 'controls', 'retention', 'logs'];
/** Dashboards that must have panels querying Loki directly (the brief's golden signals, evidence, volume). */
const LOKI_DIRECT = new Set(['mesh-audit-overview', 'mesh-audit-controls', 'mesh-audit-retention']);

type AnyPanel = Panel | RowPanel;
type Target = Record<string, any>;

const parsed = DASHBOARDS.map((source) => ({
  file: source.file,
  json: JSON.parse(readFileSync(join(DASHBOARD_DIR, source.file), 'utf8')) as SdkDashboard,
}));

function allPanels(dashboard: SdkDashboard): AnyPanel[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    panel.type === 'row' ? [panel, ...((panel as RowPanel).panels ?? [])] : [panel]
  );
}

function targetsOf(panel: AnyPanel): Target[] {
  return panel.type === 'row' ? [] : (((panel as Panel).targets ?? []) as Target[]);
}

/**
 * Grafana's escaping of a multi-value / include-all variable for the Loki data source:
 * `lokiSpecialRegexEscape` applied to each value, values joined with `|`
 * (grafana/grafana public/app/plugins/datasource/loki/datasource.ts, `interpolateQueryExpr`).
 */
function grafanaLokiInterpolate(values: string[]): string {
  const escape = (value: string) => value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}\[\]+?.()|]/g, '\\\\$&');
  return values.map(escape).join('|');
}

const SAMPLE_VALUES = ['prod.eu-1', 'team|a', 'ns(x)'];
const BUILTIN_SAMPLES: Record<string, string> = {
  __auto: '1m',
  __interval: '1m',
  __rate_interval: '1m',
  __range: '3600s',
};

/** Replace `$var` / `${var}` as Grafana would before the query reaches Loki; unknown ones throw. */
function interpolate(expr: string, known: Set<string>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (name in BUILTIN_SAMPLES) {
      return BUILTIN_SAMPLES[name];
    }
    if (!known.has(name)) {
      throw new Error(`unknown variable $${name} in ${expr}`);
    }
    return grafanaLokiInterpolate(SAMPLE_VALUES);
  });
}

describe('generated dashboards', () => {
  it('are checked in exactly as dashboards-src generates them', () => {
    const rendered = renderDashboards(policy);
    const onDisk = readdirSync(DASHBOARD_DIR)
      .filter((file) => file.endsWith('.json'))
      .sort();
    expect({ files: onDisk, hint: 'run `npm run dashboards`' }).toEqual({
      files: [...rendered.keys()].sort(),
      hint: 'run `npm run dashboards`',
    });
    for (const [file, text] of rendered) {
      const checkedIn = readFileSync(join(DASHBOARD_DIR, file), 'utf8');
      if (checkedIn !== text) {
        throw new Error(
          `dashboards/${file} differs from the output of dashboards-src: run \`npm run dashboards\` and commit the result`
        );
      }
    }
  });

  it('are listed as dashboard includes of the app plugin, each with a nav page to its uid', () => {
    const includes = appPluginJson.includes as Array<{ type: string; name: string; path?: string; addToNav?: boolean }>;
    const dashboards = includes.filter((include) => include.type === 'dashboard');
    expect(dashboards.map((include) => include.path).sort()).toEqual(
      DASHBOARDS.map((source) => `dashboards/${source.file}`).sort()
    );
    expect(dashboards.map((include) => include.name).sort()).toEqual(DASHBOARDS.map((source) => source.name).sort());
    const navPaths = includes
      .filter((include) => include.type === 'page' && include.addToNav)
      .map((include) => include.path);
    for (const { json } of parsed) {
      expect(navPaths).toContain(`d/${json.uid}`);
    }
  });

  it('have unique uids', () => {
    const uids = parsed.map(({ json }) => json.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});

describe.each(parsed)('$file', ({ json }) => {
  const variableNames = new Set((json.templating.list ?? []).map((variable) => variable.name));

  // The SDK's TypeScript model is not assignable to @grafana/schema's (nominal enum types
  // differ), so the dashboard JSON is checked against the schema's shape at runtime instead.
  it('has the shape of a @grafana/schema dashboard at its schema version, with the suite tag', () => {
    expect(json.uid).toMatch(/^mesh-audit-[a-z-]+$/);
    expect(typeof json.title).toBe('string');
    expect(json.schemaVersion).toBe(defaultDashboard.schemaVersion);
    expect(json.tags).toContain('mesh-audit');
    expect(json.time?.from).toMatch(/^now-\d+[mhd]$/);
    expect(json.time?.to).toBe('now');
    expect(typeof json.annotations).toBe('object');
    // Provisioned and app-imported dashboards must not carry a numeric id (Grafana assigns it).
    expect(json.id ?? null).toBeNull();
    expect(json.panels!.length).toBeGreaterThan(1);
    for (const variable of json.templating.list ?? []) {
      expect(VARIABLE_TYPES).toContain(variable.type);
      expect(variable.name).toMatch(/^\w+$/);
      for (const [key, values] of [
        ['hide', VariableHide],
        ['refresh', VariableRefresh],
        ['sort', VariableSort],
      ] as const) {
        const value = (variable as unknown as Record<string, unknown>)[key];
        if (value !== undefined) {
          expect(enumValues(values)).toContain(value);
        }
      }
    }
    for (const panel of allPanels(json)) {
      expect(typeof panel.type).toBe('string');
      expect(Object.keys(panel.gridPos ?? {}).sort()).toEqual(['h', 'w', 'x', 'y']);
      if (panel.type === 'row') {
        expect(typeof (panel as RowPanel).collapsed).toBe('boolean');
        expect(Array.isArray((panel as RowPanel).panels)).toBe(true);
      } else {
        for (const target of targetsOf(panel)) {
          expect(typeof target.refId).toBe('string');
          expect(Object.keys(target.datasource ?? {}).sort()).toEqual(['type', 'uid']);
        }
        const refIds = targetsOf(panel).map((target) => target.refId);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    }
  });

  it('has multi-select, include-all platform, cluster and namespace variables', () => {
    const list = json.templating.list ?? [];
    for (const name of FILTER_VARIABLES) {
      const variable = list.find((v) => v.name === name);
      // multi/includeAll turn on Grafana's regex escaping; no typed-in values (it leaves `"` alone).
      expect(variable).toMatchObject({ type: 'query', multi: true, includeAll: true, allowCustomValue: false });
      expect(variable?.datasource?.uid).toBeDefined();
    }
  });

  it('uses only core panel types and our own panels', () => {
    const allowed = new Set<string>([...CORE_PANEL_TYPES, ...MESH_AUDIT_PANEL_TYPES]);
    const types = allPanels(json).map((panel) => panel.type);
    expect(types.filter((type) => !allowed.has(type))).toEqual([]);
  });

  it('has unique panel ids and a grid with no overlap, inside 24 columns', () => {
    const panels = allPanels(json);
    const ids = panels.map((panel) => panel.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const boxes = panels.map((panel) => ({ title: panel.title, ...panel.gridPos! }));
    for (const box of boxes) {
      expect(box.w).toBeGreaterThan(0);
      expect(box.h).toBeGreaterThan(0);
      expect(box.x + box.w).toBeLessThanOrEqual(24);
    }
    const overlaps: string[] = [];
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
          overlaps.push(`${a.title} / ${b.title}`);
        }
      })
    );
    expect(overlaps).toEqual([]);
  });

  it('gives every non-row panel a data source and at least one target (text panels excepted)', () => {
    for (const panel of allPanels(json).filter((p) => p.type !== 'row' && p.type !== 'text')) {
      expect({ title: panel.title, targets: targetsOf(panel).length > 0 }).toEqual({
        title: panel.title,
        targets: true,
      });
      for (const target of targetsOf(panel)) {
        expect(['loki', 'mesh-audit']).toContain(target.datasource?.uid);
      }
    }
  });

  it('has Mesh Audit targets with a valid query type, on the mesh-audit data source, using only defined variables', () => {
    const targets = allPanels(json)
      .flatMap(targetsOf)
      .filter((target) => target.datasource?.type === 'meshaudit-loki-datasource');
    for (const target of targets) {
      expect(target.datasource.uid).toBe('mesh-audit');
      expect(QUERY_TYPES).toContain(target.queryType);
      // Variables may appear in any value of the query model (filters, logs.controlId, ...).
      const used = [...JSON.stringify(target).matchAll(/\$(\w+)/g)].map((m) => m[1]);
      expect(used.filter((name) => !variableNames.has(name))).toEqual([]);
      // Every suite query follows the platform / cluster / namespace selection.
      for (const name of FILTER_VARIABLES) {
        expect(target.filters?.[name]).toEqual([`$${name}`]);
      }
    }
  });

  it('links only to suite dashboards, with variables that exist on both ends', () => {
    const targets = new Map(
      parsed.map(({ json: d }) => [d.uid, new Set((d.templating.list ?? []).map((v) => v.name))])
    );
    const links = allPanels(json).flatMap((panel) => (panel as Panel).links ?? []);
    for (const link of links) {
      const url = new URL(link.url ?? '', 'http://grafana.invalid');
      const uid = /^\/d\/([\w-]+)$/.exec(url.pathname)?.[1];
      expect(targets.has(uid)).toBe(true);
      const fixed = [...url.searchParams.keys()].filter((key) => !key.startsWith('${'));
      for (const key of fixed) {
        expect(key).toMatch(/^var-/);
        expect(targets.get(uid)!.has(key.slice('var-'.length))).toBe(true);
      }
      for (const [, name] of (link.url ?? '').matchAll(/\$\{(\w+):queryparam\}/g)) {
        expect(variableNames.has(name)).toBe(true);
        expect(targets.get(uid)!.has(name)).toBe(true);
      }
    }
  });

  it('has LogQL that follows the variables and parses after Grafana-style interpolation', () => {
    const lokiTargets = allPanels(json)
      .flatMap(targetsOf)
      .filter((target) => target.datasource?.uid === 'loki');
    if (LOKI_DIRECT.has(json.uid!)) {
      expect(lokiTargets.length).toBeGreaterThan(0);
    }
    const exprs = lokiTargets.map((target) => target.expr as string);
    for (const expr of exprs) {
      for (const name of FILTER_VARIABLES) {
        expect(expr).toContain(`${name}=~"$${name}"`);
      }
    }
    const variableStreams = (json.templating.list ?? [])
      .map((variable) => (variable.query as { stream?: string } | undefined)?.stream)
      .filter((stream): stream is string => Boolean(stream));
    for (const expr of [...exprs, ...variableStreams]) {
      expect(typeof expr).toBe('string');
      const problem = checkLogqlSyntax(interpolate(expr, variableNames));
      expect({ expr, problem }).toEqual({ expr, problem: null });
    }
  });
});

describe('variable matchers', () => {
  // Our LogQL places `$var` inside a double-quoted regex matcher; Grafana's escaping assumes
  // exactly that. The interpolated matcher must match the selected values literally and
  // nothing else.
  it.each(FILTER_VARIABLES)('$%s interpolates to an exact alternation of the selected values', (name) => {
    const rendered = renderSelector(selector(variableMatcher(name)));
    const interpolated = rendered.replace(`$${name}`, grafanaLokiInterpolate(SAMPLE_VALUES));
    const literal = /=~"((?:[^"\\]|\\.)*)"/.exec(interpolated)![1];
    // Go unquoting of `\\` and `\"` (the only escapes present) matches JSON's.
    const regex = new RegExp(`^(?:${JSON.parse(`"${literal}"`)})$`);
    for (const value of SAMPLE_VALUES) {
      expect(regex.test(value)).toBe(true);
    }
    for (const other of ['prodXeu-1', 'team', 'a', 'nsx', 'ns(x)x']) {
      expect(regex.test(other)).toBe(false);
    }
  });
});

describe('dashboard sources', () => {
  it('write JSON with keys sorted at every level, without functions or undefined, ending in a newline', () => {
    const text = toStableJson({ b: 1, a: { d: [{ z: 1, y: undefined, x: () => 0 }], c: 'v' } });
    expect(text).toBe(
      '{\n  "a": {\n    "c": "v",\n    "d": [\n      {\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n'
    );
  });

  it('chain the variables: cluster values under the selected platforms, namespace under both', () => {
    const streams = Object.fromEntries(
      overviewDashboard(policy).templating.list!.map((v) => [v.name, (v.query as { stream?: string }).stream])
    );
    expect(streams.platform).toBeUndefined();
    expect(streams.cluster).toBe('{platform=~"$platform"}');
    expect(streams.namespace).toBe('{platform=~"$platform", cluster=~"$cluster"}');
  });

  it('follow the policy: audit window, thresholds, log classes', () => {
    const custom = {
      ...policy,
      auditWindowDays: 120,
      thresholds: { ...policy.thresholds, maxErrorShare: 0.02 },
      logClasses: [{ name: 'only-class', selector: { log_type: 'access' }, retentionDays: 30 }],
    };
    expect(evidenceDashboard(custom).time?.from).toBe('now-120d');
    const errorStat = allPanels(overviewDashboard(custom)).find((p) => p.title === '5xx share') as Panel;
    expect(errorStat.fieldConfig?.defaults?.thresholds?.steps).toEqual([
      { value: null, color: 'green' },
      { value: 0.02, color: 'red' },
    ]);
    const daily = allPanels(retentionDashboard(custom)).find((p) => p.title === 'Lines per day by log class') as Panel;
    expect(targetsOf(daily).map((t) => t.legendFormat)).toEqual(['only-class']);
  });

  it('leave out the Loki panels of a control the policy gives no scope, and say why', () => {
    const noStrictNamespaces = { ...policy, strictMtlsNamespaces: [] };
    const panels = allPanels(controlsDashboard(noStrictNamespaces));
    const lokiExprs = panels.flatMap(targetsOf).map((t) => String(t.expr ?? ''));
    expect(lokiExprs.some((expr) => expr.includes('dst_namespace'))).toBe(false);
    const cc67 = panels.filter((p) => p.title?.startsWith('CC6.7'));
    expect(cc67.map((p) => p.type)).toEqual(['text']);
    expect((cc67[0] as Panel).options.content).toContain('policy.strictMtlsNamespaces is empty');
    // With the example policy the CC6.7 panels are there (the test above is not vacuous).
    const withScope = allPanels(controlsDashboard(policy)).filter((p) => p.title?.startsWith('CC6.7'));
    expect(withScope.map((p) => p.type)).toEqual(['timeseries', 'stat']);
  });

  it('never chart every access line as a control\'s evidence: controls that rest on a table say so instead', () => {
    const panels = allPanels(controlsDashboard(policy));
    const lokiExprs = panels.flatMap(targetsOf).map((t) => String(t.expr ?? ''));
    expect(lokiExprs.length).toBeGreaterThan(0);
    // An evidence count with no filter after the parser would count the whole stream.
    expect(lokiExprs.filter((expr) => /\| json \| __error__=""/.test(expr))).toEqual([]);
    for (const criterion of ['C1.1', 'C1.2', 'CC7.1']) {
      expect(panels.filter((p) => p.title?.startsWith(`${criterion} `)).map((p) => p.type)).toEqual(['text']);
    }
  });
});

describe('the overview topology panel', () => {
  it("badges the policy's strict namespaces and required services", () => {
    const panel = (overviewDashboard(policy).panels ?? []).find((p) => (p as Panel).type === 'meshaudit-topology-panel') as Panel | undefined;
    expect(panel?.options).toMatchObject({ strictNamespaces: policy.strictMtlsNamespaces.join(','), requiredServices: policy.requiredServices.join(',') });
    expect(policy.strictMtlsNamespaces.length).toBeGreaterThan(0);
  });
});
