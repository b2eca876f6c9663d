/**
 * The topology panel in Debian Chromium (headless, no GPU, the browser tests' flags) on generated
 * meshes of 200 / 2,000 / 5,000 services with 5x edges in 3 platforms x 6 clusters x 40
 * namespaces: time to the first complete drawing, frame times while panning and zooming, JS heap.
 * The SVG panel it replaced is measured the same way at 300 services (the most it drew) for the
 * ratio. Figures only: a shared 2-core machine without a GPU is far slower than a user's browser.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { report } from './harness';

// Loaded at run time: esbuild must not bundle the browser driver or the playground's own esbuild.
const load = createRequire(join(process.cwd(), 'package.json'));
const { chromium } = load('playwright-core') as typeof import('playwright-core');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'];
const FRAMES = 60;
const SIZES = (process.env.BENCH_TOPOLOGY_SIZES ?? '200,2000,5000').split(',').map(Number);

interface Figures {
  firstMs: number;
  medianMs: number;
  p95Ms: number;
  /** Median of the longest frame while the full drawing replaces the moved snapshot, once a movement stops (the canvas panel only). */
  fullMs: number | null;
  /** Median time from the first frame after the movement stopped until the full drawing is on screen, and over how many frames. */
  settleMs: number | null;
  settleFrames: number | null;
  heapMb: number;
  drawn: number;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function main() {
  const playground = await import(pathToFileURL(join(process.cwd(), 'scripts/playground.mjs')).href);
  await playground.buildPlayground();
  const server = await playground.servePlayground(0);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  const run = async (panel: string, services: number): Promise<Figures> => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(`${server.url}/?theme=dark`);
    await page.waitForFunction(() => 'meshAuditPlayground' in window);
    const figures = await page.evaluate(
      async ({ panel, services, frames }) => {
        const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));
        const started = performance.now();
        // Every service drawn: the figures are for the whole mesh, not the collapsed overview.
        window.meshAuditPlayground.mount({ panel, generated: { services }, options: { collapseLevel: 'none' }, width: 1200, height: 800 } as never);
        // Complete: the canvas has painted (or, for the SVG panel, the browser has painted the SVG).
        for (;;) {
          await nextFrame();
          const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=topology-canvas]');
          if ((canvas && Number(canvas.dataset.draws ?? 0) > 0) || document.querySelector('[data-testid=topology-panel] svg, [data-testid^=topology-panel-]')) {
            break;
          }
        }
        await nextFrame();
        const firstMs = performance.now() - started;
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=topology-canvas]');
        const svg = document.querySelector<SVGSVGElement>('[data-testid=topology-panel] svg');
        const times: number[] = [];
        let last = await nextFrame();
        for (let i = 0; i < frames; i++) {
          if (canvas) {
            const r = canvas.getBoundingClientRect();
            if (i % 2 === 0) {
              canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 4 === 0 ? -120 : 100, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
            } else {
              canvas.dispatchEvent(new MouseEvent('mousedown', { clientX: r.left + 100, clientY: r.top + 100, buttons: 1, bubbles: true }));
              canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + 130, clientY: r.top + 115, buttons: 1, bubbles: true }));
              canvas.dispatchEvent(new MouseEvent('mouseup', { clientX: r.left + 130, clientY: r.top + 115, bubbles: true }));
            }
          } else if (svg) {
            // The SVG panel has no pan or zoom: moving its viewBox is what one would cost.
            const [x, y, w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
            const f = i % 2 === 0 ? 0.98 : 1.02;
            svg.setAttribute('viewBox', `${x + 3} ${y + 2} ${w * f} ${h * f}`);
          }
          const now = await nextFrame();
          times.push(now - last);
          last = now;
        }
        // After the movement stops the panel draws everything again, over one frame or several:
        // the longest frame from the wheel step until the drawing is done, and how long that took.
        // From the fitted view (key 0), each step zooming out a little: the whole mesh in view.
        canvas?.dispatchEvent(new KeyboardEvent('keydown', { key: '0', bubbles: true }));
        for (let i = 0; i < 20; i++) {
          await nextFrame();
        }
        const full: number[] = [];
        const settle: Array<{ frames: number; ms: number }> = [];
        canvas?.addEventListener('topology-full-drawing', (e) => settle.push((e as CustomEvent<{ frames: number; ms: number }>).detail));
        for (let i = 0; canvas && i < 5; i++) {
          const before = Number(canvas.dataset.draws);
          const r = canvas.getBoundingClientRect();
          canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: 60, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
          let prev = await nextFrame();
          let longest = 0;
          for (;;) {
            const now = await nextFrame();
            longest = Math.max(longest, now - prev);
            prev = now;
            if (Number(canvas.dataset.draws) > before) {
              longest = Math.max(longest, (await nextFrame()) - now);
              full.push(longest);
              break;
            }
          }
        }
        const settled = settle.slice(-full.length);
        const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
        const drawn = canvas ? Number(canvas.dataset.draws) : svg ? svg.querySelectorAll('circle').length : 0;
        return { firstMs, times, full, settled, heapMb: heap / 1e6, drawn };
      },
      { panel, services, frames: FRAMES }
    );
    await page.close();
    return {
      firstMs: figures.firstMs,
      medianMs: quantile(figures.times, 0.5),
      p95Ms: quantile(figures.times, 0.95),
      fullMs: figures.full.length ? quantile(figures.full, 0.5) : null,
      settleMs: figures.settled.length ? quantile(figures.settled.map((x) => x.ms), 0.5) : null,
      settleFrames: figures.settled.length ? quantile(figures.settled.map((x) => x.frames), 0.5) : null,
      heapMb: figures.heapMb,
      drawn: figures.drawn,
    };
  };
  const row = (name: string, f: Figures, base?: Figures) => {
    const vs = (a: number, b?: number) => (b ? ` (${(a / b).toFixed(2)}x svg@300)` : '');
    report(`${name} first complete render`, `${f.firstMs.toFixed(0)} ms${vs(f.firstMs, base?.firstMs)}`);
    report(`${name} pan/zoom frame median`, `${f.medianMs.toFixed(1)} ms${vs(f.medianMs, base?.medianMs)}`);
    report(`${name} pan/zoom frame p95`, `${f.p95Ms.toFixed(1)} ms${vs(f.p95Ms, base?.p95Ms)}`);
    if (f.fullMs !== null) {
      report(`${name} longest frame of the full redraw (settled, all in view)`, `${f.fullMs.toFixed(1)} ms`);
    }
    if (f.settleMs !== null && f.settleFrames !== null) {
      report(`${name} full redraw done after`, `${f.settleMs.toFixed(0)} ms, ${f.settleFrames} frame(s)`);
    }
    report(`${name} JS heap after`, `${f.heapMb.toFixed(0)} MB`);
  };
  try {
    const svg = await run('topology-svg-baseline', 300);
    row('svg panel, 300 services', svg);
    row('canvas panel, 300 services', await run('topology', 300), svg);
    for (const n of SIZES) {
      row(`canvas panel, ${n} services`, await run('topology', n), svg);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
