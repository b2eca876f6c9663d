import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { drawMarks, drawScene, drawSceneSteps, drawSnapshot, snapshot, type Marks, type Palette, type Scene, type Snapshot } from './render';
import { zoomAt, type View } from './view';

/** How long after the last pan or zoom step the full drawing replaces the moved snapshot. */
const SETTLE_MS = 150;

/**
 * Drawing time per frame once a movement stops: the full drawing of a large mesh (50 ms for
 * 25,000 edges in software-rendered Chromium, bench/topology-render) is spread over frames on a
 * buffer canvas, with the moved snapshot on screen until it is done, so no frame runs long.
 */
const FRAME_BUDGET_MS = 12;

interface Progressive {
  steps: Generator<void, void, void>;
  buffer: HTMLCanvasElement;
  bufferCtx: CanvasRenderingContext2D;
  view: View;
  scene: Scene;
  palette: Palette;
  frames: number;
  startedMs: number;
}

/**
 * Paints `scene` on the canvas at most once per animation frame, and owns the view (kept in a ref
 * so that a pan does not re-render React). During a pan or zoom, frames reuse the last full
 * drawing as a moved, scaled bitmap; the full drawing follows once the movement stops.
 */
export function useCanvasDrawing(scene: Scene, marks: Marks, initialView: () => View, width: number, height: number, palette: Palette) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [first] = useState(initialView);
  const view = useRef<View>(first);
  const sceneRef = useRef(scene);
  const marksRef = useRef(marks);
  const frame = useRef<number | null>(null);
  const shot = useRef<{ snapshot: Snapshot; scene: Scene } | null>(null);
  const lastMove = useRef(-Infinity);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const progressive = useRef<Progressive | null>(null);
  /** requestDraw, for draw itself to continue a progressive drawing in the next frame. */
  const drawAgain = useRef<() => void>(() => undefined);
  const bufferRef = useRef<HTMLCanvasElement | null>(null);

  const draw = useCallback(() => {
    frame.current = null;
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const started = performance.now();
    const moving = started - lastMove.current < SETTLE_MS;
    const sameScene = shot.current !== null && shot.current.scene === sceneRef.current;
    const finished = (drawnFrames: number, sinceMs: number) => {
      shot.current = { snapshot: snapshot(el, view.current, shot.current?.snapshot), scene: sceneRef.current };
      el.dataset.draws = String(Number(el.dataset.draws ?? 0) + 1);
      el.dispatchEvent(new CustomEvent('topology-full-drawing', { bubbles: true, detail: { frames: drawnFrames, ms: performance.now() - sinceMs } }));
    };
    // The hovered and selected rings go over every frame that shows a whole drawing.
    const marked = () => drawMarks(ctx, sceneRef.current, marksRef.current, view.current, dpr, palette);
    if (sameScene && (moving || shot.current!.snapshot.view === view.current)) {
      // Moving, or only the marks changed: the last drawing, moved if need be.
      progressive.current = null;
      drawSnapshot(ctx, shot.current!.snapshot, view.current, width, height, dpr, palette.background);
      marked();
    } else if (sameScene) {
      // The same scene at a new view: drawn on the buffer a frame's budget at a time.
      let p = progressive.current;
      if (!p || p.view !== view.current || p.scene !== sceneRef.current || p.palette !== palette || p.buffer.width !== el.width || p.buffer.height !== el.height) {
        const buffer = (bufferRef.current ??= document.createElement('canvas'));
        buffer.width = el.width;
        buffer.height = el.height;
        const bufferCtx = buffer.getContext('2d')!;
        p = { steps: drawSceneSteps(bufferCtx, sceneRef.current, view.current, width, height, dpr, palette), buffer, bufferCtx, view: view.current, scene: sceneRef.current, palette, frames: 0, startedMs: started };
        progressive.current = p;
      }
      p.frames++;
      let done = false;
      while (!done && performance.now() - started < FRAME_BUDGET_MS) {
        done = p.steps.next().done === true;
        // Canvas 2D defers rasterising until the pixels are needed: reading one makes each
        // step's painting happen now, in this frame, instead of all at once in the last.
        p.bufferCtx.getImageData(0, 0, 1, 1);
      }
      if (done) {
        progressive.current = null;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.drawImage(p.buffer, 0, 0);
        finished(p.frames, p.startedMs);
        marked();
      } else {
        drawAgain.current();
      }
    } else {
      progressive.current = null;
      drawScene(ctx, sceneRef.current, view.current, width, height, dpr, palette);
      finished(1, started);
      marked();
    }
    el.dispatchEvent(new CustomEvent('topology-drawn', { bubbles: true, detail: { ms: performance.now() - started, snapshot: moving } }));
  }, [width, height, palette]);

  const requestDraw = useCallback(() => {
    if (frame.current === null) {
      frame.current = requestAnimationFrame(draw);
    }
  }, [draw]);
  useEffect(() => {
    drawAgain.current = requestDraw;
  }, [requestDraw]);

  /** A pan or zoom step: drawn from the snapshot now, in full once the movement stops. */
  const moved = useCallback(() => {
    lastMove.current = performance.now();
    if (settle.current !== null) {
      clearTimeout(settle.current);
    }
    settle.current = setTimeout(() => {
      settle.current = null;
      lastMove.current = -Infinity;
      requestDraw();
    }, SETTLE_MS);
    requestDraw();
  }, [requestDraw]);

  useEffect(
    () => () => {
      if (frame.current !== null) {
        cancelAnimationFrame(frame.current);
      }
      if (settle.current !== null) {
        clearTimeout(settle.current);
      }
    },
    []
  );
  useLayoutEffect(() => {
    sceneRef.current = scene;
    marksRef.current = marks;
    requestDraw();
  }, [scene, marks, requestDraw]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = canvas.current;
    if (!el) {
      return;
    }
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      view.current = zoomAt(view.current, Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
      moved();
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [moved]);

  return { canvasRef: canvas, viewRef: view, requestDraw, moved };
}
