import type { Locator, Page } from '@playwright/test';
import type { TopologyHandle } from '../../src/panels/topology/TopologyCanvas';

/** Where the topology panel says it drew things (its element's `meshTopology` handle). */
export function topology(page: Page) {
  const panel = page.getByTestId('topology-panel');
  type El = { meshTopology: TopologyHandle };
  return {
    panel,
    canvas: page.getByTestId('topology-canvas'),
    drawn: () => panel.evaluate((el) => (el as unknown as El).meshTopology.drawn()),
    edges: () => panel.evaluate((el) => (el as unknown as El).meshTopology.edges()),
    collapsed: () => panel.evaluate((el) => (el as unknown as El).meshTopology.collapsed()),
    position: (id: string) => panel.evaluate((el, nodeId) => (el as unknown as El).meshTopology.position(nodeId), id),
    /** Waits until the canvas has painted at least `n` times since the page loaded. */
    drawnAtLeast: (n = 1) => page.waitForFunction((min) => Number(document.querySelector<HTMLCanvasElement>('[data-testid=topology-canvas]')?.dataset.draws ?? 0) >= min, n),
  };
}

/** RGBA of the canvas pixel at (x, y) in CSS pixels. */
export function pixel(canvas: Locator, x: number, y: number): Promise<number[]> {
  return canvas.evaluate(
    (el, [px, py]) => {
      const c = el as HTMLCanvasElement;
      const dpr = c.width / c.clientWidth;
      return [...c.getContext('2d')!.getImageData(Math.round(px * dpr), Math.round(py * dpr), 1, 1).data];
    },
    [x, y] as const
  );
}
