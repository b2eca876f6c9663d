import type { DataFrameDTO } from '@grafana/data';
import { collectPageErrors, expect, mountPanel, test, type Theme } from './playground';
import { pixel, topology } from './topology-canvas';

// The Node Graph-shaped frames the Mesh Audit data source returns for a small bookinfo-like mesh,
// with payments in a second cluster so that one edge crosses a cluster boundary.
const place = (cluster: string, ns: string, w: string) => JSON.stringify(['kubernetes', cluster, ns, w]);
const ids = {
  gw: place('prod-eu', 'istio-system', 'istio-ingressgateway'),
  web: place('prod-eu', 'shop', 'productpage'),
  reviews: place('prod-eu', 'shop', 'reviews'),
  ratings: place('prod-eu', 'shop', 'ratings'),
  pay: place('prod-us', 'payments', 'payments-api'),
};
const shop = JSON.stringify(['kubernetes', 'prod-eu', 'shop']);
const nodes: DataFrameDTO = {
  name: 'nodes',
  fields: [
    { name: 'id', values: Object.values(ids) },
    { name: 'title', values: ['istio-ingressgateway', 'productpage', 'reviews', 'ratings', 'payments-api'] },
    { name: 'subtitle', values: ['istio-system · prod-eu', 'shop · prod-eu', 'shop · prod-eu', 'shop · prod-eu', 'payments · prod-us'] },
    { name: 'mainstat', values: [0, 10, 8, 4, 2] },
    { name: 'arc__errors', values: [0, 0, 0.08, 0.02, 0] },
    { name: 'arc__no_inbound', values: [1, 0, 0, 0, 0] },
    { name: 'detail__platform', values: ['kubernetes', 'kubernetes', 'kubernetes', 'kubernetes', 'kubernetes'] },
    { name: 'detail__cluster', values: ['prod-eu', 'prod-eu', 'prod-eu', 'prod-eu', 'prod-us'] },
    { name: 'detail__namespace', values: ['istio-system', 'shop', 'shop', 'shop', 'payments'] },
    { name: 'detail__workload', values: ['istio-ingressgateway', 'productpage', 'reviews', 'ratings', 'payments-api'] },
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
const mount = (page: import('@playwright/test').Page, url: string, theme: Theme = 'dark', frames = [nodes, edges], options: Record<string, unknown> = {}) =>
  mountPanel(page, url, theme, { panel: 'topology', frames, options, width: 900, height: 520 });

/** Samples the canvas along the middle of the segment a → b: how many samples differ from the background. */
async function inkAlong(page: import('@playwright/test').Page, a: { x: number; y: number }, b: { x: number; y: number }) {
  const t = topology(page);
  const bg = await pixel(t.canvas, 2, 2);
  const samples: number[][] = [];
  for (let i = 0; i <= 40; i++) {
    const f = 0.3 + (0.4 * i) / 40;
    samples.push(await pixel(t.canvas, a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f));
  }
  const inked = samples.filter((p) => Math.abs(p[0] - bg[0]) + Math.abs(p[1] - bg[1]) + Math.abs(p[2] - bg[2]) > 60);
  return { share: inked.length / samples.length, inked };
}

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`topology panel draws services in platform › cluster › namespace boxes on a canvas in the Grafana theme (${theme})`, async ({ page, playgroundUrl }) => {
    const errors = collectPageErrors(page);
    await mount(page, playgroundUrl, theme);
    const t = topology(page);
    await t.drawnAtLeast();
    await expect(t.panel).toBeVisible();
    await expect(page.getByTestId('topology-legend')).toContainText('5 services · 4 edges');
    expect((await t.drawn()).sort()).toEqual(Object.values(ids).sort());
    await expect(t.canvas).toHaveAttribute('aria-label', /Mesh topology: 5 services · 4 edges/);
    // No DOM element per service: the services are pixels on one canvas.
    expect(await t.panel.locator('svg circle, [data-node-id]').count()).toBe(0);

    // The background is the theme's: dark is dark, light is light.
    const bg = await pixel(t.canvas, 2, 2);
    const luminance = (bg[0] + bg[1] + bg[2]) / 3;
    expect(theme === 'dark' ? luminance < 60 : luminance > 200).toBe(true);
    // A service is drawn where the panel says it is: its pixel is not the background.
    const web = (await t.position(ids.web))!;
    const dot = await pixel(t.canvas, web.x, web.y);
    expect(Math.abs(dot[0] - bg[0]) + Math.abs(dot[1] - bg[1]) + Math.abs(dot[2] - bg[2])).toBeGreaterThan(60);

    // Only web->pay leaves prod-eu.
    expect((await t.edges()).filter((e) => e.crosses !== null).map((e) => e.id)).toEqual(['web->pay']);
    await page.getByTestId('playground-stage').screenshot({ path: `test/artifacts/topology-${theme}.png` });
    expect(errors).toEqual([]);
  });
}

test('topology panel: solid mTLS edges, dashed red plaintext edge', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  const [gw, web, pay] = [await t.position(ids.gw), await t.position(ids.web), await t.position(ids.pay)];
  const solid = await inkAlong(page, gw!, web!);
  const dashed = await inkAlong(page, web!, pay!);
  // mTLS is solid green all along; plaintext is red in dashes, with gaps between them (where
  // only the blue halo of a cross-cluster edge shows).
  expect(solid.share).toBeGreaterThan(0.9);
  expect(solid.inked.every(([r, g]) => g > r)).toBe(true);
  const red = dashed.inked.filter(([r, g, b]) => r > g + 40 && r > b + 40).length / 41;
  expect(red).toBeGreaterThan(0.2);
  expect(red).toBeLessThan(0.8);
});

test('topology panel: a namespace box collapses into one node with the summed edges, and expands again', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  // The namespace's header line is just above its first service row; clicking it collapses the box.
  const reviews = (await t.position(ids.reviews))!;
  const web = (await t.position(ids.web))!;
  const box = await t.canvas.boundingBox();
  const topRow = Math.min(reviews.y, web.y);
  const k = await t.panel.evaluate((el) => (el as unknown as { meshTopology: { view(): { k: number } } }).meshTopology.view().k);
  await page.mouse.click(box!.x + Math.min(reviews.x, web.x), box!.y + topRow - (28 + 22 / 2) * k);
  await expect.poll(() => t.collapsed()).toEqual([shop]);
  const drawn = await t.drawn();
  expect(drawn).toContain(shop);
  expect(drawn).not.toContain(ids.web);
  // gw->web and web->pay now start or end at the shop node; the two edges inside shop are kept aside.
  const summed = await t.edges();
  expect(summed.map((e) => [e.source, e.target]).sort()).toEqual([[ids.gw, shop], [shop, ids.pay]].sort());
  expect(summed.find((e) => e.target === ids.pay)!.rate).toBe(2);

  await page.mouse.click(box!.x + (await t.position(shop))!.x, box!.y + (await t.position(shop))!.y);
  await expect(page.getByTestId('topology-side-panel')).toContainText('namespace (3 services, collapsed)');
  await page.getByTestId('topology-expand').click();
  await expect.poll(() => t.collapsed()).toEqual([]);
  expect((await t.drawn()).sort()).toEqual(Object.values(ids).sort());
  // The toolbar collapses every platform at once, and expands everything again.
  await page.getByTestId('topology-collapse-platform').click();
  await expect.poll(() => t.drawn()).toEqual([JSON.stringify(['kubernetes'])]);
  await page.getByTestId('topology-expand-all').click();
  await expect.poll(async () => (await t.drawn()).length).toBe(5);
  expect(errors).toEqual([]);
});

test('topology panel: the collapse option draws every cluster as one node', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl, 'dark', [nodes, edges], { collapseLevel: 'cluster' });
  const t = topology(page);
  await t.drawnAtLeast();
  expect((await t.drawn()).sort()).toEqual([JSON.stringify(['kubernetes', 'prod-eu']), JSON.stringify(['kubernetes', 'prod-us'])]);
  expect(await t.edges()).toEqual([expect.objectContaining({ mtls: 'plaintext', rate: 2, crosses: 'cluster' })]);
});

test('topology panel: clicking an edge opens its numbers and a logs link for that caller and callee', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  const [web, pay] = [(await t.position(ids.web))!, (await t.position(ids.pay))!];
  const box = (await t.canvas.boundingBox())!;
  await page.mouse.move(box.x + (web.x + pay.x) / 2, box.y + (web.y + pay.y) / 2);
  await expect(page.getByTestId('topology-hover')).toContainText('productpage → payments-api');
  await page.mouse.click(box.x + (web.x + pay.x) / 2, box.y + (web.y + pay.y) / 2);
  const side = page.getByTestId('topology-side-panel');
  await expect(side).toContainText('productpage → payments-api');
  await expect(side).toContainText('2.00 req/s');
  await expect(side).toContainText('120 ms');
  await expect(side).toContainText('plaintext');
  await expect(side).toContainText('cluster');

  const href = (await page.getByTestId('topology-logs-link').getAttribute('href'))!;
  const url = new URL(href, 'http://grafana');
  expect(url.pathname).toBe('/explore');
  const pane = Object.values(JSON.parse(url.searchParams.get('panes')!) as Record<string, { queries: Array<Record<string, unknown>> }>)[0];
  expect(pane.queries[0]).toMatchObject({ queryType: 'logs', logs: { srcWorkload: 'productpage', dstService: 'payments-api' }, filters: { platform: ['kubernetes'] } });
  const logql = await page.getByTestId('topology-logql').textContent();
  expect(logql).toContain('src_workload="productpage"');
  expect(logql).toContain('dst_service="payments-api"');
  expect(errors).toEqual([]);
});

test('topology panel: clicking a service opens its numbers; Focus keeps its one-hop neighbourhood', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  const reviews = (await t.position(ids.reviews))!;
  const box = (await t.canvas.boundingBox())!;
  await page.mouse.click(box.x + reviews.x, box.y + reviews.y);
  const side = page.getByTestId('topology-side-panel');
  await expect(side).toContainText('reviews');
  await expect(side).toContainText('8.00 req/s');
  await expect(side).toContainText('8.0 % (critical)');
  const href = (await page.getByTestId('topology-logs-link').getAttribute('href'))!;
  expect(decodeURIComponent(href)).toContain('"service":["reviews"]');
  await page.getByTestId('topology-focus').click();
  await expect.poll(async () => (await t.drawn()).sort()).toEqual([ids.web, ids.reviews, ids.ratings].sort());
  await expect(page.getByTestId('topology-legend')).toContainText('3 of 5 drawn');
  await page.getByTestId('topology-unfocus').click();
  await expect.poll(async () => (await t.drawn()).length).toBe(5);
});

test('topology panel: search finds a service and Enter opens it; hide healthy drops the healthy-only ones', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  await page.getByTestId('topology-search').fill('RATINGS');
  await expect(page.getByTestId('topology-legend')).toContainText('1 match “RATINGS”');
  await page.getByTestId('topology-search').press('Enter');
  await expect(page.getByTestId('topology-side-panel')).toContainText('ratings');
  await page.getByTestId('topology-search').fill('');
  await page.getByText('Hide healthy').click();
  // gw->web is healthy mTLS; web->reviews errs, reviews->ratings is partial, web->pay plaintext.
  await expect.poll(async () => (await t.drawn()).sort()).toEqual([ids.web, ids.reviews, ids.ratings, ids.pay].sort());
});

test('topology panel: the same frames give the same positions, and a new service moves nobody', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  const positions = async () => Object.fromEntries(await Promise.all(Object.values(ids).map(async (id) => [id, await t.position(id)])));
  const first = await positions();
  // A refresh: the page mounts the same answer again.
  await mount(page, playgroundUrl);
  await t.drawnAtLeast();
  expect(await positions()).toEqual(first);
  // A refresh in place whose answer has one more service in shop (whose grid has a free slot).
  const extra = place('prod-eu', 'shop', 'aaa-cart');
  const grown = structuredClone(nodes);
  for (const f of grown.fields) {
    const v = { id: extra, title: 'aaa-cart', subtitle: 'shop · prod-eu', mainstat: 1, arc__errors: 0, arc__no_inbound: 0, detail__platform: 'kubernetes', detail__cluster: 'prod-eu', detail__namespace: 'shop', detail__workload: 'aaa-cart' }[f.name];
    (f.values as unknown[]).push(v);
  }
  await page.evaluate((r) => window.meshAuditPlayground.mount(r), { panel: 'topology', frames: [grown, edges], width: 900, height: 520 });
  await expect(page.getByTestId('topology-legend')).toContainText('6 services');
  expect(await positions()).toEqual(first);
  expect(await t.position(extra)).not.toBeNull();
});

test('topology panel: keyboard pans, zooms and fits', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  const before = (await t.position(ids.web))!;
  await t.canvas.focus();
  await page.keyboard.press('ArrowRight');
  const panned = (await t.position(ids.web))!;
  expect(panned.x).toBeLessThan(before.x);
  await page.keyboard.press('+');
  await page.keyboard.press('0');
  expect(await t.position(ids.web)).toEqual(before);
  await page.keyboard.press('n');
  await expect(page.getByTestId('topology-hover')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('topology-side-panel')).toBeVisible();
});

test('topology panel: policy badges for plaintext into a strict namespace and a required service without logs', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  await mount(page, playgroundUrl, 'dark', [nodes, edges], { strictNamespaces: 'payments, identity', requiredServices: 'payments-api, ledger' });
  const t = topology(page);
  await t.drawnAtLeast();
  // web->pay is plaintext into payments; ledger sent nothing at all.
  expect(await t.panel.evaluate((el) => (el as unknown as { meshTopology: { badges(): Record<string, string[]> } }).meshTopology.badges())).toEqual({ [ids.pay]: ['plaintext-into-strict'] });
  await expect(page.getByTestId('topology-legend')).toContainText('required services without logs: ledger');
  await expect(page.getByTestId('topology-legend')).toContainText('plaintext into a strict namespace');
  const pay = (await t.position(ids.pay))!;
  const box = (await t.canvas.boundingBox())!;
  await page.mouse.click(box.x + pay.x, box.y + pay.y);
  await expect(page.getByTestId('topology-side-panel')).toContainText('Plaintext into a strict-mTLS namespace');
  // The badge is drawn: the top-right of the node has the plaintext colour.
  const k = await t.panel.evaluate((el) => (el as unknown as { meshTopology: { view(): { k: number } } }).meshTopology.view().k);
  const dot = await pixel(t.canvas, pay.x + 8 * k, pay.y - 8 * k);
  expect(dot[0]).toBeGreaterThan(dot[1] + 40);
  // Without the policy the same spot is the (green) node, not a badge.
  await mount(page, playgroundUrl, 'dark', [nodes, edges]);
  await t.drawnAtLeast();
  const plain = await pixel(t.canvas, pay.x + 8 * k, pay.y - 8 * k);
  expect(plain[0]).toBeLessThan(plain[1]);
  expect(errors).toEqual([]);
});

test("topology panel: the side panel carries the frame's data links for the clicked service", async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  const linked = structuredClone(nodes);
  linked.fields[0].config = { links: [{ title: 'Service dashboard', url: '/d/service?var-id=${__value.raw}' }] };
  await mount(page, playgroundUrl, 'dark', [linked, edges]);
  const t = topology(page);
  await t.drawnAtLeast();
  const web = (await t.position(ids.web))!;
  const box = (await t.canvas.boundingBox())!;
  await page.mouse.click(box.x + web.x, box.y + web.y);
  const link = page.getByTestId('topology-data-link');
  await expect(link).toHaveText('Service dashboard');
  expect(await link.getAttribute('href')).toMatch(/^\/d\/service\?var-id=/);
  expect(errors).toEqual([]);
});

test('topology panel: hovering a service rings it over the last drawing, without drawing the mesh again', async ({ page, playgroundUrl }) => {
  await mount(page, playgroundUrl);
  const t = topology(page);
  await t.drawnAtLeast();
  await page.waitForTimeout(300);
  const image = () => t.canvas.evaluate((el) => (el as HTMLCanvasElement).toDataURL());
  const before = await image();
  const draws = await t.canvas.getAttribute('data-draws');
  const box = (await t.canvas.boundingBox())!;
  const web = (await t.position(ids.web))!;
  await page.mouse.move(box.x + web.x, box.y + web.y);
  await expect(page.getByTestId('topology-hover')).toBeVisible();
  await expect.poll(image).not.toBe(before);
  await page.mouse.move(box.x + 3, box.y + box.height - 3);
  await expect(page.getByTestId('topology-hover')).toBeHidden();
  await expect.poll(image).toBe(before);
  expect(await t.canvas.getAttribute('data-draws')).toBe(draws);
});
