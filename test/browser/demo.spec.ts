import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_CATALOG } from '../../src/core/controls';
import { parsePolicyYaml } from '../../provisioning/generate/policyFile';
import { collectPageErrors, expect, test } from './playground';
import { topology } from './topology-canvas';

// The demo (test/playground/demo): a real Loki's recorded answers for loggen's window, through the
// data source's own query(). These tests check the panels draw it, and that each
// dashboard renders with our panels drawn for real and Grafana's own panels as labelled placeholders.
const root = join(__dirname, '../..');
const policy = parsePolicyYaml(readFileSync(join(root, 'policy.example.yaml'), 'utf8'));
const DASHBOARD_FILES = ['mesh-overview', 'soc2-controls', 'retention-coverage', 'audit-evidence'];
const OUR_TYPES = ['meshaudit-topology-panel', 'meshaudit-controls-panel', 'meshaudit-retention-panel'];

interface Panel {
  type: string;
  title?: string;
}

async function openDemoPanel(page: import('@playwright/test').Page, url: string, panel: string, height: number) {
  await page.goto(`${url}/?theme=dark`);
  await page.waitForFunction(() => 'meshAuditPlayground' in window);
  await page.evaluate((r) => window.meshAuditPlayground.mount(r), { panel, demo: true, width: 1200, height });
  await expect(page.getByTestId('playground-stage')).toBeVisible();
}

test('demo topology: services and edges from loggen, plaintext into a strict namespace flagged', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await openDemoPanel(page, playgroundUrl, 'topology', 900);
  const t = topology(page);
  await t.drawnAtLeast();
  const nodes = (await t.drawn()).length;
  const drawnEdges = await t.edges();
  const edges = drawnEdges.length;
  expect(nodes).toBeGreaterThan(0);
  expect(edges).toBeGreaterThan(0);
  await expect(page.getByTestId('topology-legend')).toContainText(`${nodes} services · ${edges} edges`);
  const plaintextInto = drawnEdges.filter((e) => e.mtls === 'plaintext' || e.mtls === 'partial').map((e) => JSON.parse(e.target)[2] as string);
  expect(plaintextInto.some((ns) => policy.strictMtlsNamespaces.includes(ns))).toBe(true);
  expect(errors).toEqual([]);
});

test('demo controls: one row per catalog control with a status, CC6.7 failing', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await openDemoPanel(page, playgroundUrl, 'controls', 400);
  const rows = page.getByTestId('control-row');
  await expect(rows).toHaveCount(CONTROL_CATALOG.length);
  const statuses = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));
  expect(statuses.every((s) => s === 'pass' || s === 'fail' || s === 'no-evidence')).toBe(true);
  await expect(rows.filter({ hasText: 'CC6.7' })).toHaveAttribute('data-status', 'fail');
  expect(errors).toEqual([]);
});

test('demo retention: every policy class with its days', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await openDemoPanel(page, playgroundUrl, 'retention', 320);
  const classes = page.getByTestId('retention-class');
  await expect(classes).toHaveCount(policy.logClasses.length);
  for (const [i, c] of policy.logClasses.entries()) {
    await expect(classes.nth(i)).toContainText(c.name);
    expect(await classes.nth(i).getByTestId('retention-day').count()).toBeGreaterThan(0);
  }
  expect(errors).toEqual([]);
});

for (const file of DASHBOARD_FILES) {
  test(`dashboard ${file}: our panels drawn from the demo, Grafana's own panels labelled placeholders`, async ({ page, playgroundUrl }) => {
    const errors = collectPageErrors(page);
    const json = JSON.parse(readFileSync(join(root, 'dashboards', `${file}.json`), 'utf8')) as { uid: string; title: string; panels: Panel[] };
    await page.setViewportSize({ width: 1632, height: 1000 });
    await page.goto(`${playgroundUrl}/?theme=dark&dashboard=${json.uid}`);
    const view = page.getByTestId('dashboard-view');
    await expect(view).toHaveAttribute('data-uid', json.uid);
    await expect(view).toContainText(json.title);

    const ours = json.panels.filter((p) => OUR_TYPES.includes(p.type));
    const others = json.panels.filter((p) => p.type !== 'row' && !OUR_TYPES.includes(p.type));
    await expect(page.locator('[data-testid="dashboard-panel"][data-drawn="true"]')).toHaveCount(ours.length);
    await expect(page.locator('[data-testid="dashboard-panel"][data-drawn="false"]')).toHaveCount(others.length);
    await expect(page.getByTestId('dashboard-row')).toHaveCount(json.panels.length - ours.length - others.length);

    for (const p of ours) {
      const drawn = page.locator(`[data-testid="dashboard-panel"][data-panel-type="${p.type}"]`);
      if (p.type === 'meshaudit-topology-panel') {
        await expect(drawn.getByTestId('topology-canvas')).toHaveAttribute('data-draws', /[1-9]/);
      } else if (p.type === 'meshaudit-controls-panel') {
        await expect(drawn.getByTestId('control-row')).toHaveCount(CONTROL_CATALOG.length);
      } else {
        await expect(drawn.getByTestId('retention-class')).toHaveCount(policy.logClasses.length);
      }
    }
    const placeholders = page.locator('[data-testid="dashboard-panel"][data-drawn="false"]');
    for (const [i, p] of others.entries()) {
      await expect(placeholders.nth(i)).toContainText(`Grafana ${p.type} panel — rendered by Grafana itself`);
      await expect(placeholders.nth(i)).toContainText(p.title!);
    }

    // Laid out on the grid without overlaps.
    const boxes = await page.getByTestId('dashboard-panel').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const [p, q] = [boxes[a], boxes[b]];
        const overlap = p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1;
        expect(overlap, `panels ${a} and ${b} overlap`).toBe(false);
      }
    }
    expect(errors).toEqual([]);
  });
}
