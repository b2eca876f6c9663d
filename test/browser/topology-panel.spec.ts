import type { DataFrameDTO } from '@grafana/data';
import { collectPageErrors, expect, mountPanel, test, type Theme } from './playground';

// The Node Graph-shaped frames the Mesh Audit data source returns for a small bookinfo-like mesh.
const place = (ns: string, w: string) => JSON.stringify(['kubernetes', 'prod-eu', ns, w]);
const ids = {
  gw: place('istio-system', 'istio-ingressgateway'),
  web: place('shop', 'productpage'),
  reviews: place('shop', 'reviews'),
  ratings: place('shop', 'ratings'),
  pay: place('payments', 'payments-api'),
};
const nodes: DataFrameDTO = {
  name: 'nodes',
  fields: [
    { name: 'id', values: Object.values(ids) },
    { name: 'title', values: ['istio-ingressgateway', 'productpage', 'reviews', 'ratings', 'payments-api'] },
    { name: 'subtitle', values: ['istio-system · prod-eu', 'shop · prod-eu', 'shop · prod-eu', 'shop · prod-eu', 'payments · prod-eu'] },
    { name: 'mainstat', values: [0, 10, 8, 4, 2] },
    { name: 'arc__errors', values: [0, 0, 0.08, 0.02, 0] },
    { name: 'arc__no_inbound', values: [1, 0, 0, 0, 0] },
    { name: 'detail__platform', values: ['kubernetes', 'kubernetes', 'kubernetes', 'kubernetes', 'kubernetes'] },
    { name: 'detail__cluster', values: ['prod-eu', 'prod-eu', 'prod-eu', 'prod-eu', 'prod-eu'] },
    { name: 'detail__namespace', values: ['istio-system', 'shop', 'shop', 'shop', 'payments'] },
  ],
};
const edges: DataFrameDTO = {
  name: 'edges',
  fields: [
    { name: 'id', values: ['gw->web', 'web->reviews', 'reviews->ratings', 'web->pay'] },
    { name: 'source', values: [ids.gw, ids.web, ids.reviews, ids.web] },
    { name: 'target', values: [ids.web, ids.reviews, ids.ratings, ids.pay] },
    { name: 'mainstat', values: [10, 8, 4, 2] },
    { name: 'detail__error_percent', values: [0, 8, 2, 0] },
    { name: 'detail__p95_ms', values: [40, 25, 8, 120] },
    { name: 'detail__mtls', values: ['mtls', 'mtls', 'partial', 'plaintext'] },
  ],
};

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`topology panel draws services in namespace lanes with mTLS-coloured edges (${theme})`, async ({ page, playgroundUrl }) => {
    const errors = collectPageErrors(page);
    await mountPanel(page, playgroundUrl, theme, { panel: 'topology', frames: [nodes, edges], options: { laneBy: 'namespace', edgeLabels: true } });

    const panel = page.getByTestId('topology-panel');
    await expect(panel).toBeVisible();
    await expect(page.getByTestId('topology-node')).toHaveCount(5);
    await expect(page.getByTestId('topology-edge')).toHaveCount(4);
    await expect(page.getByTestId('topology-lane')).toHaveCount(3);
    await expect(page.getByTestId('topology-legend')).toContainText('5 services · 4 edges');

    // The plaintext edge into payments is dashed and drawn in a different colour from the mTLS ones.
    const stroke = (id: string) => page.locator(`[data-edge-id="${id}"] path`).evaluate((p) => getComputedStyle(p).stroke);
    const dashes = (id: string) => page.locator(`[data-edge-id="${id}"] path`).getAttribute('stroke-dasharray');
    expect(await dashes('web->pay')).toBe('6 4');
    expect(await dashes('gw->web')).toBeNull();
    expect(await stroke('web->pay')).not.toBe(await stroke('gw->web'));
    expect(await stroke('web->reviews')).toBe(await stroke('gw->web'));

    // Callers sit left of callees.
    const x = async (id: string) => (await page.locator(`[data-node-id='${id}']`).boundingBox())!.x;
    expect(await x(ids.gw)).toBeLessThan(await x(ids.web));
    expect(await x(ids.web)).toBeLessThan(await x(ids.reviews));
    expect(await x(ids.reviews)).toBeLessThan(await x(ids.ratings));

    // Edge labels carry rate, 5xx and p95.
    await expect(page.locator('[data-edge-id="web->reviews"] text')).toHaveText('8.00 rps · 8.0% 5xx · p95 25 ms');

    await page.getByTestId('playground-stage').screenshot({ path: `test/artifacts/topology-${theme}.png` });
    expect(errors).toEqual([]);
  });
}

test('topology panel explains a malformed edges frame instead of drawing nothing', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await mountPanel(page, playgroundUrl, 'dark', { panel: 'topology', frames: [{ name: 'edges', fields: [{ name: 'id', values: ['x'] }] }] });
  await expect(page.getByTestId('topology-panel-error')).toContainText('The "edges" frame has no "source" field.');
  expect(errors).toEqual([]);
});
