import { collectPageErrors, expect, test } from './playground';
import type { Page } from '@playwright/test';
import type { EditorMountRequest } from '../playground/editors';

async function mountEditor(page: Page, baseUrl: string, request: EditorMountRequest) {
  await page.goto(`${baseUrl}/?theme=dark`);
  await page.waitForFunction(() => 'meshAuditEditors' in window);
  await page.evaluate((r) => window.meshAuditEditors.mountEditor(r), request);
  await expect(page.getByTestId('editor-stage')).toBeVisible();
}

const expressions = (page: Page) => page.getByTestId('meshaudit-logql-expr');

test('the generated LogQL follows the query editor options', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await mountEditor(page, playgroundUrl, { query: { refId: 'A', queryType: 'topology' } });

  // Three named topology queries (requests split by mTLS state, errors, p95), each an instant query with an Explore link.
  await expect(expressions(page)).toHaveCount(3);
  await expect(expressions(page).nth(1)).toContainText('status >= 500');
  await expect(page.getByText('Open in Explore').first()).toHaveAttribute('href', /^\/explore\?.*panes=/);

  // Errors off: the errors query disappears.
  await page.getByTestId('meshaudit-toggle-showErrors').click({ force: true });
  await expect(expressions(page)).toHaveCount(2);
  await expect(page.getByTestId('meshaudit-logql')).not.toContainText('status >= 500');

  // Group by namespace: the edge keys change.
  await page.getByRole('radio', { name: 'Namespace' }).click({ force: true });
  await expect(expressions(page).first()).toContainText('by (src_namespace, dst_namespace, cluster, platform, direction, mtls)');

  // A typed namespace with a quote reaches LogQL escaped.
  const namespace = page.getByTestId('meshaudit-filter-namespaces');
  await namespace.click();
  await namespace.fill('pay"ments');
  const custom = page.getByRole('option', { name: /pay"ments/ });
  await expect(custom).toBeVisible();
  await custom.click();
  await expect(expressions(page).first()).toContainText('namespace="pay\\"ments"');

  // Suggestions come from Loki's label values (served by the playground's stub proxy).
  await namespace.click();
  await namespace.fill('book');
  await expect(page.getByRole('option', { name: 'bookinfo' })).toBeVisible();
  await page.getByRole('option', { name: 'bookinfo' }).click();
  await expect(expressions(page).first()).toContainText('namespace=~"pay\\"ments|bookinfo"');

  await page.keyboard.press('Escape');
  await page.getByTestId('editor-stage').screenshot({ path: 'test/artifacts/query-editor-topology.png' });
  expect(errors).toEqual([]);
});

test('the editor explains a query that cannot run', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await mountEditor(page, playgroundUrl, { query: { refId: 'A', queryType: 'retention', retentionClasses: ['deleted-class'] } });
  await expect(page.getByTestId('meshaudit-logql-error')).toContainText('unknown log class "deleted-class"');
  expect(errors).toEqual([]);
});
