import type { DataFrameDTO } from '@grafana/data';
import { collectPageErrors, expect, mountPanel, test, type Theme } from './playground';

// The data source's `controls` frame (src/datasource/frames/controlsFrame.ts) for three controls.
const controls: DataFrameDTO = {
  name: 'controls',
  fields: [
    { name: 'id', values: ['CC6.7-mtls', 'CC6.1-authz-denials', 'CC7.2-log-coverage'] },
    { name: 'criterion', values: ['CC6.7', 'CC6.1', 'CC7.2'] },
    { name: 'title', values: ['Service-to-service traffic uses mTLS', 'Authorization denials are recorded', 'Required services ship logs'] },
    { name: 'status', values: ['fail', 'pass', 'no-evidence'] },
    { name: 'evidence_count', values: [12840, 37, 0] },
    { name: 'last_evidence', values: [Date.UTC(2026, 10, 25, 13, 5), Date.UTC(2026, 10, 25, 12, 0), null] },
    { name: 'detail', values: ['96.2% mTLS in payments (policy 100%)', '37 denials', 'no lines from ledger in 30 min'] },
  ],
};

const DAY = 86_400_000;
const from = Date.UTC(2026, 10, 1);
const days = (counts: number[]) => counts.map((_, i) => from + i * DAY);
// The data source's `retention` frame: two classes over 10 days, one with a gap day.
const retention: DataFrameDTO = {
  name: 'retention',
  fields: [
    { name: 'log_class', values: [...Array(10).fill('mesh-access'), ...Array(10).fill('payments-access')] },
    { name: 'day', values: [...days(Array(10).fill(0)), ...days(Array(10).fill(0))] },
    { name: 'lines', values: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 5, 5, 5, 0, 5, 5, 5, 5, 5, 5] },
    { name: 'covered', values: [...Array(10).fill(true), true, true, true, false, true, true, true, true, true, true] },
    { name: 'required_days', values: [...Array(10).fill(7), ...Array(10).fill(7)] },
  ],
};

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`controls panel lists each control with its status and evidence (${theme})`, async ({ page, playgroundUrl }) => {
    const errors = collectPageErrors(page);
    await mountPanel(page, playgroundUrl, theme, { panel: 'controls', frames: [controls], options: { showPassing: true }, height: 260 });
    const rows = page.getByTestId('control-row');
    await expect(rows).toHaveCount(3);
    await expect(page.getByTestId('controls-summary')).toHaveText('1 pass · 1 fail · 1 without evidence');
    await expect(rows.nth(0)).toContainText('Fail');
    await expect(rows.nth(0)).toContainText('12,840');
    await expect(rows.nth(0)).toContainText('2026-11-25 13:05');
    await expect(rows.nth(2)).toContainText('No evidence');
    await expect(rows.nth(2)).toContainText('—');
    await page.getByTestId('playground-stage').screenshot({ path: `test/artifacts/controls-${theme}.png` });
    expect(errors).toEqual([]);
  });

  test(`retention panel shows coverage per class with the gap day marked (${theme})`, async ({ page, playgroundUrl }) => {
    const errors = collectPageErrors(page);
    await mountPanel(page, playgroundUrl, theme, { panel: 'retention', frames: [retention], options: { gapThreshold: 0.1 }, height: 220 });
    const classes = page.getByTestId('retention-class');
    await expect(classes).toHaveCount(2);
    await expect(classes.nth(0)).toHaveAttribute('data-status', 'proven');
    await expect(classes.nth(1)).toHaveAttribute('data-status', 'gaps');
    await expect(classes.nth(1).locator('[data-gap="true"]')).toHaveCount(1);
    await expect(classes.nth(1)).toContainText('1 gap day(s)');
    const colour = (n: number, i: number) => classes.nth(n).getByTestId('retention-day').nth(i).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour(1, 3)).not.toBe(await colour(1, 2));
    await page.getByTestId('playground-stage').screenshot({ path: `test/artifacts/retention-${theme}.png` });
    expect(errors).toEqual([]);
  });
}

test('controls panel hides passing controls when asked', async ({ page, playgroundUrl }) => {
  await mountPanel(page, playgroundUrl, 'dark', { panel: 'controls', frames: [controls], options: { showPassing: false } });
  await expect(page.getByTestId('control-row')).toHaveCount(2);
  await expect(page.locator('[data-status="pass"]')).toHaveCount(0);
});
