// `npm run screenshots`: the README's screenshots, taken from the panel playground in Debian's
// Chromium (dark theme, 1600 px wide) on loggen's demo data (test/playground/demo).
// Writes docs/screenshots/<dashboard file>.png for each dashboard and panel-<name>.png per panel.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildPlayground, servePlayground } from './playground.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const outDir = join(root, 'docs/screenshots');
const WIDTH = 1600;

// The same flags as test/browser/playwright.config.ts (CHROMIUM_ARGS): never a downloaded browser,
// and no background calls to Google's hosts.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const DASHBOARDS = [
  ['mesh-audit-overview', 'mesh-overview'],
  ['mesh-audit-controls', 'soc2-controls'],
  ['mesh-audit-retention', 'retention-coverage'],
  ['mesh-audit-evidence', 'audit-evidence'],
];

const PANELS = [
  // Edge labels off: with 50-odd edges they overlap (the dashboard screenshot keeps its own options).
  // The badges follow policy.example.yaml's strict namespaces and required services.
  {
    panel: 'topology',
    height: 900,
    options: { edgeLabels: false, strictNamespaces: 'payments, identity', requiredServices: 'frontend, checkout, payments-api, ledger, auth, orders-api' },
  },
  { panel: 'controls', height: 380, options: { showPassing: true } },
  { panel: 'retention', height: 300, options: {} },
];

async function main() {
  await buildPlayground();
  await mkdir(outDir, { recursive: true });
  const server = await servePlayground(0);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH + 32, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
        errors.push(message.text());
      }
    });
    for (const [uid, file] of DASHBOARDS) {
      await page.goto(`${server.url}/?theme=dark&dashboard=${uid}`);
      await page.getByTestId('dashboard-view').waitFor();
      await page.waitForTimeout(800);
      const path = join(outDir, `${file}.png`);
      await page.getByTestId('playground-stage').screenshot({ path });
      console.log(`wrote ${path}`);
    }
    for (const { panel, height, options } of PANELS) {
      await page.goto(`${server.url}/?theme=dark`);
      await page.waitForFunction(() => 'meshAuditPlayground' in window);
      await page.evaluate((r) => window.meshAuditPlayground.mount(r), { panel, demo: true, width: WIDTH, height, options });
      await page.getByTestId('playground-stage').waitFor();
      await page.waitForTimeout(800);
      const path = join(outDir, `panel-${panel}.png`);
      await page.getByTestId('playground-stage').screenshot({ path });
      console.log(`wrote ${path}`);
    }
    // The app's Evidence export page over the recorded real Loki answers, after an export.
    await page.goto(`${server.url}/?theme=dark`);
    await page.waitForFunction(() => 'meshAuditEvidence' in window);
    await page.evaluate(() =>
      window.meshAuditEvidence.mountEvidence({
        from: '2026-11-30T11:59:00.000Z',
        to: '2026-11-30T15:01:00.000Z',
        // The controls the conformance suite exports (test/loki/window.ts EXPORTED_CONTROLS): their queries are recorded.
        controls: ['CC6.7-mtls', 'CC6.1-authz-denials', 'CC6.6-boundary-denials', 'CC7.2-error-anomaly', 'CC6.8-unexpected-callers', 'CC6.3-least-privilege', 'A1.1-capacity', 'A1.2-availability'],
        pageLines: 100,
      })
    );
    await page.getByRole('button', { name: 'Export evidence' }).click();
    await page.getByRole('table', { name: 'Exported evidence' }).waitFor();
    const evidencePath = join(outDir, 'evidence-export.png');
    await page.getByTestId('evidence-stage').screenshot({ path: evidencePath });
    console.log(`wrote ${evidencePath}`);
  } finally {
    await browser.close();
    await server.close();
  }
  if (errors.length > 0) {
    throw new Error(`page errors while taking screenshots:\n${errors.join('\n')}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
