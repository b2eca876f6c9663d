import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { drawScene, drawSnapshot, snapshot, type Palette, type Scene, type Snapshot } from './render';
import { zoomAt, type View } from './view';

/** How long after the last pan or zoom step the full drawing replaces the moved snapshot. */
const SETTLE_MS = 150;

/**
 * Paints `scene` on the canvas at most once per animation frame, and owns the view (kept in a ref
 * so that a pan does not re-render React). During a pan or zoom, frames reuse the last full
 * drawing as a moved, scaled bitmap; the full drawing follows once the movement stops.
 */
export function useCanvasDrawing(scene: Scene, initialView: () => View, width: number, height: number, palette: Palette) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [first] = useState(initialView);
  const view = useRef<View>(first);
  const sceneRef = useRef(scene);
  const frame = useRef<number | null>(null);
  const shot = useRef<{ snapshot: Snapshot; scene: Scene } | null>(null);
  const lastMove = useRef(-Infinity);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);

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
    if (moving && shot.current && shot.current.scene === sceneRef.current) {
      drawSnapshot(ctx, shot.current.snapshot, view.current, width, height, dpr, palette.background);
    } else {
      drawScene(ctx, sceneRef.current, view.current, width, height, dpr, palette);
      shot.current = { snapshot: snapshot(el, view.current, shot.current?.snapshot), scene: sceneRef.current };
      el.dataset.draws = String(Number(el.dataset.draws ?? 0) + 1);
    }
    el.dispatchEvent(new CustomEvent('topology-drawn', { bubbles: true, detail: { ms: performance.now() - started, snapshot: moving } }));
  }, [width, height, palette]);

  const requestDraw = useCallback(() => {
    if (frame.current === null) {
      frame.current = requestAnimationFrame(draw);
    }
  }, [draw]);

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
    requestDraw();
  }, [scene, requestDraw]);

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
