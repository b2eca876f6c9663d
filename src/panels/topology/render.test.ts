import { topologyFrames } from '../../datasource/frames/topologyFrames';
import { syntheticTopology } from '../../../bench/topology-mesh';
import { readGraph } from './graphModel';
import { visibleGraph } from './grouping';
import { layoutGraph } from './layout';
import { drawSceneSteps, type Palette, type Scene } from './render';
import { fitView } from './view';

/** A 2D context that records every call and property write, in order: equal logs paint equal pixels. */
function recordingContext(): { ctx: CanvasRenderingContext2D; log: string[] } {
  const log: string[] = [];
  const state: Record<string, unknown> = {};
  const ctx = new Proxy(state, {
    get: (target, key: string) => (key in target ? target[key] : (...args: unknown[]) => void log.push(`${key}(${args.map((a) => (a instanceof Float32Array ? [...a] : a)).join(',')})`)),
    set: (target, key: string, value) => {
      target[key] = value;
      log.push(`${key}=${value}`);
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, log };
}

const colors = { fill: '#111', stroke: '#222' };
const palette: Palette = {
  background: '#000',
  box: { platform: colors, cluster: colors, namespace: colors },
  text: '#fff',
  textWeak: '#aaa',
  mtls: { mtls: '#0f0', plaintext: '#f00', unknown: '#888', partial: '#fa0' },
  health: { ok: '#0f0', warning: '#ff0', critical: '#f00', idle: '#888' },
  cross: '#0ff',
  selection: '#00f',
  fontFamily: 'sans-serif',
};

function sceneOf(services: number): { scene: Scene; width: number; height: number } {
  const graph = readGraph(...(topologyFrames(syntheticTopology(services, { platforms: 3, clusters: 6, namespaces: 40, edgesPerService: 5, seed: 7 }), 3600) as [never, never]));
  const visible = visibleGraph(graph, new Set());
  const layout = layoutGraph(graph);
  const scene: Scene = {
    graph: visible,
    layout,
    shown: new Set(visible.nodes.map((n) => n.id)),
    matches: null,
    thresholds: { warnPercent: 1, criticalPercent: 5 },
    edgeLabels: false,
    badges: new Map(),
  };
  return { scene, width: 1200, height: 800 };
}

describe('drawSceneSteps', () => {
  // Fitted, 25,000 edges are past the halo, dash and arrow limits: every edge is one moveTo/lineTo pair.
  const { scene, width, height } = sceneOf(5000);
  const view = fitView({ x: 0, y: 0, w: scene.layout.width, h: scene.layout.height }, width, height);
  const { ctx, log } = recordingContext();
  const steps = drawSceneSteps(ctx, scene, view, width, height, 2, palette);
  const cut: number[] = [];
  while (!steps.next().done) {
    cut.push(log.length);
  }

  it('strokes every drawn edge exactly once, in strokes of at most a slice, over many steps', () => {
    const f = (n: number) => String(Math.fround(n));
    const expected = scene.graph.edges
      .filter((e) => e.source !== e.target)
      .map((e) => {
        const [a, b] = [scene.layout.positions.get(e.source)!, scene.layout.positions.get(e.target)!];
        return `moveTo(${f(a.x)},${f(a.y)}) lineTo(${f(b.x)},${f(b.y)})`;
      });
    expect(expected.length).toBeGreaterThan(20_000);
    const pairs: string[] = [];
    let inStroke = 0;
    let widest = 0;
    log.forEach((entry, i) => {
      if (entry.startsWith('lineTo(') && log[i - 1].startsWith('moveTo(')) {
        pairs.push(`${log[i - 1]} ${entry}`);
        inStroke++;
      } else if (entry === 'stroke()') {
        widest = Math.max(widest, inStroke);
        inStroke = 0;
      }
    });
    expect(pairs.sort()).toEqual(expected.sort());
    expect(widest).toBeLessThanOrEqual(1000);
    // A step ends once a slice's worth is stroked (under two slices, as a small batch adds to the count), after the boxes first.
    expect(cut.length).toBeGreaterThanOrEqual(Math.floor(expected.length / 2000));
  });

  it('sets each slice\'s stroke style before stroking it, so no step depends on the one before', () => {
    for (const at of cut) {
      const next = log.slice(at);
      const stroke = next.indexOf('stroke()');
      if (stroke >= 0 && next.slice(0, stroke).some((l) => l.startsWith('moveTo('))) {
        expect(next.slice(0, stroke).some((l) => l.startsWith('strokeStyle='))).toBe(true);
      }
    }
  });
});
