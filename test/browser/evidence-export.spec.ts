import { readFileSync } from 'node:fs';
import { collectPageErrors, expect, test } from './playground';
import type { Page } from '@playwright/test';
import type { EvidenceExportProps } from '../../src/app/EvidenceExport';
import { EXPORTED_CONTROLS, FIRST_WINDOW } from '../loki/window';
import { csvRecords } from '../support/csv';

const iso = (ms: number) => new Date(ms).toISOString();
const WINDOW = { from: iso(FIRST_WINDOW.range.fromMs), to: iso(FIRST_WINDOW.range.toMs) };

async function mount(page: Page, baseUrl: string, initial: EvidenceExportProps['initial']) {
  await page.goto(`${baseUrl}/?theme=dark`);
  await page.waitForFunction(() => 'meshAuditEvidence' in window);
  await page.evaluate((i) => window.meshAuditEvidence.mountEvidence(i), initial);
  await expect(page.getByTestId('evidence-stage')).toBeVisible();
}

test("exports each control's evidence from the recorded real Loki answers, and the CSV holds one row per request", async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await mount(page, playgroundUrl, { ...WINDOW, controls: [...EXPORTED_CONTROLS], pageLines: 100 });
  await page.getByRole('button', { name: 'Export evidence' }).click();
  const table = page.getByRole('table', { name: 'Exported evidence' });
  await expect(table).toBeVisible({ timeout: 30_000 });
  const row = table.locator('tr[data-control="CC6.7-mtls"]');
  // loggen's truth for the window: 101 plaintext requests into strict namespaces (test/loki/truth.ts).
  await expect(row.locator('td').nth(1)).toHaveText('fail');
  await expect(row.locator('td').nth(2)).toHaveText('101');
  await expect(row.locator('td').nth(3)).toHaveText('101');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('CC6.7-mtls.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('time,cluster,namespace,service_name,direction,src_namespace,src_workload,dst_namespace,dst_service,status,mtls,authz,line');
  expect(csvRecords(csv)).toBe(101);
  // Every row is a request into a strict namespace that was not mTLS.
  const rows = csv.split('\r\n').slice(1, -1);
  expect(rows.every((r) => /,(payments|identity),[^,]*,\d*,(plaintext|unknown),/.test(r))).toBe(true);
  await expect(page.getByText('Not evidence')).toHaveCount(0);
  // loggen's 14:00 5xx burst on catalog, against catalog's own baseline.
  await expect(page.getByRole('list', { name: 'Anomalies' })).toContainText(/prod-eu\/shop\/catalog: 5xx share 43\.4% \(178 of 410\) in 14:00–14:10/);
  expect(errors).toEqual([]);
});

test('says what is wrong with the window instead of exporting', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl, { from: 'last monday', to: WINDOW.to });
  await expect(page.getByText('From and To must be RFC 3339 times')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export evidence' })).toBeDisabled();
  await mount(page, playgroundUrl, { from: WINDOW.to, to: WINDOW.from });
  await expect(page.getByText('To must be after From.')).toBeVisible();
});

test('reports a Loki failure on the page, without a crash', async ({ page, playgroundUrl }) => {
  // A window the recording does not hold: the replay refuses it as Loki would refuse an unknown request.
  await mount(page, playgroundUrl, { from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', controls: ['CC6.1-authz-denials'] });
  await page.getByRole('button', { name: 'Export evidence' }).click();
  await expect(page.getByText('The export failed')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/recorded Loki answers are stale/)).toBeVisible();
});
