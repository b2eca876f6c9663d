import type { DataFrameDTO } from '@grafana/data';
import { collectPageErrors, expect, mountPanel, test } from './playground';
import { topology } from './topology-canvas';

const place = (ns: string, w: string) => JSON.stringify(['kubernetes', 'prod', ns, w]);
const edgesOf = (rows: Array<[string, string, string, unknown?, unknown?]>): DataFrameDTO => ({
  name: 'edges',
  fields: [
    { name: 'id', values: rows.map((r) => r[0]) },
    { name: 'source', values: rows.map((r) => r[1]) },
    { name: 'target', values: rows.map((r) => r[2]) },
    { name: 'mainstat', values: rows.map((r) => r[3] ?? 1) },
    { name: 'detail__error_percent', values: rows.map((r) => r[4] ?? 0) },
    { name: 'detail__mtls', values: rows.map(() => 'mtls') },
  ],
});
const nodesOf = (rows: Array<[string, string, string?]>): DataFrameDTO => ({
  name: 'nodes',
  fields: [
    { name: 'id', values: rows.map((r) => r[0]) },
    { name: 'title', values: rows.map((r) => r[1]) },
    { name: 'detail__platform', values: rows.map(() => 'kubernetes') },
    { name: 'detail__cluster', values: rows.map(() => 'prod') },
    { name: 'detail__namespace', values: rows.map((r) => r[2] ?? 'shop') },
  ],
});
const open = (page: import('@playwright/test').Page, url: string, frames: DataFrameDTO[], generated?: { services: number; shape?: Record<string, number> }, options: Record<string, unknown> = {}) =>
  mountPanel(page, url, 'dark', { panel: 'topology', frames, generated, options, width: 900, height: 520 });

test('a name holding HTML or a <script> is drawn and shown as text, and no script runs from it', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  const img = '<img src=x onerror="window.__pwned=1">';
  const script = '<script>window.__pwned=2</script>';
  const a = place(img, img);
  const b = place('shop', script);
  await open(page, playgroundUrl, [nodesOf([[a, img, img], [b, script]]), edgesOf([['e', a, b]])]);
  const t = topology(page);
  await t.drawnAtLeast();
  const box = (await t.canvas.boundingBox())!;
  for (const [id, name] of [[a, img], [b, script]]) {
    const p = (await t.position(id))!;
    await page.mouse.click(box.x + p.x, box.y + p.y);
    await expect(page.getByTestId('topology-side-panel')).toContainText(name);
  }
  await page.getByTestId('topology-search').fill('<script>');
  await expect(page.getByTestId('topology-legend')).toContainText('1 match “<script>”');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('[data-testid=topology-panel] img, [data-testid=topology-panel] script').count()).toBe(0);
  expect(errors).toEqual([]);
});

test('duplicate ids, edges to unknown services and NaN or negative stats: drawn once, counted, shown as unknown', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  const [a, b] = [place('shop', 'web'), place('shop', 'api')];
  await open(page, playgroundUrl, [
    nodesOf([[a, 'web'], [b, 'api'], [a, 'web again']]),
    edgesOf([
      ['a->b', a, b, Number.NaN, -3],
      ['a->b', a, b, 5, 0],
      ['a->ghost', a, place('shop', 'ghost'), 1, 0],
    ]),
  ]);
  const t = topology(page);
  await t.drawnAtLeast();
  const legend = page.getByTestId('topology-legend');
  await expect(legend).toContainText('2 services · 1 edges');
  await expect(legend).toContainText('1 edges to unknown services not drawn');
  await expect(legend).toContainText('1 duplicate service rows ignored');
  await expect(legend).toContainText('1 duplicate edge rows ignored');
  expect((await t.drawn()).sort()).toEqual([a, b].sort());
  const [pa, pb] = [(await t.position(a))!, (await t.position(b))!];
  const box = (await t.canvas.boundingBox())!;
  await page.mouse.click(box.x + (pa.x + pb.x) / 2, box.y + (pa.y + pb.y) / 2);
  const side = page.getByTestId('topology-side-panel');
  await expect(side).toContainText('web → api');
  await expect(side.locator('tr', { hasText: 'Request rate' })).toContainText('—');
  await expect(side.locator('tr', { hasText: '5xx' })).toContainText('—');
  expect(errors).toEqual([]);
});

test('frames without the optional fields, one service, and no services at all', async ({ page, playgroundUrl }) => {
  const errors = collectPageErrors(page);
  // Only the fields the Node Graph requires: no nodes frame, no stats, no places.
  await open(page, playgroundUrl, [{ name: 'edges', fields: [{ name: 'id', values: ['x'] }, { name: 'source', values: ['a'] }, { name: 'target', values: ['b'] }] }]);
  const t = topology(page);
  await t.drawnAtLeast();
  expect((await t.drawn()).sort()).toEqual(['a', 'b']);
  await expect(page.getByTestId('topology-legend')).toContainText('2 services · 1 edges');

  await open(page, playgroundUrl, [nodesOf([[place('shop', 'alone'), 'alone']]), edgesOf([])]);
  await t.drawnAtLeast();
  expect(await t.drawn()).toEqual([place('shop', 'alone')]);

  await open(page, playgroundUrl, [nodesOf([]), edgesOf([])]);
  await expect(page.getByTestId('topology-panel-empty')).toContainText('No mesh traffic to draw');
  expect(errors).toEqual([]);
});

test('5,000 and 20,000 services are drawn; beyond 25,000 the panel says what to change', async ({ page, playgroundUrl }) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  const t = topology(page);
  await open(page, playgroundUrl, [], { services: 5000 }, { collapseLevel: 'none' });
  await t.drawnAtLeast();
  expect((await t.drawn()).length).toBe(5000);
  // By default a mesh this size opens with its namespaces collapsed: 3 platforms x 6 clusters x 40.
  await open(page, playgroundUrl, [], { services: 5000 });
  await t.drawnAtLeast();
  const drawn = await t.drawn();
  expect(drawn).toHaveLength(720);
  expect(drawn.every((id) => (JSON.parse(id) as string[]).length === 3)).toBe(true);
  await open(page, playgroundUrl, [], { services: 20_000, shape: { edgesPerService: 1 } }, { collapseLevel: 'none' });
  await t.drawnAtLeast();
  await expect(page.getByTestId('topology-legend')).toContainText('20000 services');
  expect((await t.drawn()).length).toBe(20_000);

  const many = Array.from({ length: 25_001 }, (_, i) => `s${i}`);
  await open(page, playgroundUrl, [
    { name: 'nodes', fields: [{ name: 'id', values: many }] },
    { name: 'edges', fields: [{ name: 'id', values: [] }, { name: 'source', values: [] }, { name: 'target', values: [] }] },
  ]);
  await expect(page.getByTestId('topology-panel-too-many')).toContainText('25001 services are too many to draw');
  expect(errors).toEqual([]);
});

test('5,000 services: after zooming out the full drawing comes back over several frames, the same pixels as painting it at once', async ({ page, playgroundUrl }) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  const t = topology(page);
  await open(page, playgroundUrl, [], { services: 5000 }, { collapseLevel: 'none' });
  await t.drawnAtLeast();
  const box = (await t.canvas.boundingBox())!;
  // The pointer first (hovering a service redraws at once), then listen, then zoom.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(300);
  await t.canvas.evaluate((el) => {
    (window as unknown as { fullDrawings: unknown[] }).fullDrawings = [];
    el.addEventListener('topology-full-drawing', (e) => (window as unknown as { fullDrawings: unknown[] }).fullDrawings.push((e as CustomEvent).detail));
  });
  // Out a little: the whole mesh, 25,000 edges, stays in view.
  await page.mouse.wheel(0, 100);
  const drawing = await page.waitForFunction(() => (window as unknown as { fullDrawings: Array<{ frames: number }> }).fullDrawings[0]);
  const { frames } = (await drawing.jsonValue()) as { frames: number };
  expect(frames).toBeGreaterThan(1);
  // The same pixels as the whole scene painted at once at that view: a search typed and cleared
  // changes the scene and back, which paints it in one go.
  const progressive = await t.canvas.evaluate((el) => (el as HTMLCanvasElement).toDataURL());
  const draws = Number(await t.canvas.getAttribute('data-draws'));
  await page.getByTestId('topology-search').fill('no-such-service');
  await t.drawnAtLeast(draws + 1);
  await page.getByTestId('topology-search').fill('');
  await t.drawnAtLeast(draws + 2);
  const atOnce = await t.canvas.evaluate((el) => (el as HTMLCanvasElement).toDataURL());
  expect(atOnce.length).toBeGreaterThan(10_000);
  expect(atOnce === progressive).toBe(true);
  expect(errors).toEqual([]);
});
