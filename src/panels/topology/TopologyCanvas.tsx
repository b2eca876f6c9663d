import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Checkbox, Input, useStyles2, useTheme2 } from '@grafana/ui';
import { computeBadges, listOption, type Badge } from './badges';
import { filterGraph, type Thresholds } from './filters';
import type { Graph } from './graphModel';
import { groupsAt, visibleGraph, type VisibleEdge, type VisibleNode } from './grouping';
import { layoutGraph, LAYOUT, type Box } from './layout';
import { paletteOf } from './palette';
import { HoverCard, type Hovered } from './HoverCard';
import type { Marks, Scene } from './render';
import { SidePanel, type Selection } from './SidePanel';
import { AUTO_COLLAPSE_SERVICES, type TopologyPanelOptions } from './types';
import { useCanvasDrawing } from './useCanvasDrawing';
import { boundsOf, edgeAt, fitView, NodeIndex, toScreen, toWorld, zoomAt, type View } from './view';

interface Props {
  graph: Graph;
  width: number;
  height: number;
  options: TopologyPanelOptions;
  links: React.ComponentProps<typeof SidePanel>['links'];
}

/** What the panel element offers a test or a person at the console: where things are drawn. */
export interface TopologyHandle {
  /** Screen position of a drawn node, relative to the canvas; null when it is hidden. */
  position(id: string): { x: number; y: number } | null;
  /** Ids of the nodes drawn now (services and collapsed groups). */
  drawn(): string[];
  /** The drawn edges (both ends drawn), as summed for the collapsed groups. */
  edges(): Array<Pick<VisibleEdge, 'id' | 'source' | 'target' | 'mtls' | 'rate' | 'crosses'>>;
  /** Policy badges by drawn node. */
  badges(): Record<string, readonly Badge[]>;
  /** Keys of the collapsed groups. */
  collapsed(): string[];
  view(): View;
}

const TOOLBAR = 36;

function initiallyCollapsed(graph: Graph, level: TopologyPanelOptions['collapseLevel']): ReadonlySet<string> {
  const at = level === 'auto' ? (graph.nodes.length > AUTO_COLLAPSE_SERVICES ? 'namespace' : null) : level === 'none' ? null : level;
  return new Set(at ? groupsAt(graph, at) : []);
}

export function TopologyCanvas({ graph, width, height, options, links }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const palette = useMemo(() => paletteOf(theme), [theme]);
  const thresholds: Thresholds = useMemo(() => ({ warnPercent: options.warnPercent, criticalPercent: options.criticalPercent }), [options.warnPercent, options.criticalPercent]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => initiallyCollapsed(graph, options.collapseLevel));
  const [search, setSearch] = useState('');
  const [hideHealthy, setHideHealthy] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [hovered, setHovered] = useState<Hovered | null>(null);

  // Slots survive refreshes: a service keeps its place and a new one fills a free slot.
  const [memory] = useState(() => ({ slots: new Map<string, number>() }));
  const visible = useMemo(() => visibleGraph(graph, collapsed), [graph, collapsed]);
  const layout = useMemo(() => {
    const next = layoutGraph(graph, collapsed, memory.slots);
    next.slots.forEach((slot, id) => memory.slots.set(id, slot));
    return next;
  }, [graph, collapsed, memory]);
  const filtered = useMemo(
    () => filterGraph(visible, { search, hideHealthy, focus, hops: options.focusHops, thresholds }),
    [visible, search, hideHealthy, focus, options.focusHops, thresholds]
  );
  const byId = useMemo(() => new Map(visible.nodes.map((n) => [n.id, n])), [visible]);
  const badges = useMemo(
    () => computeBadges(graph, visible, (id) => visible.representativeOf.get(id) ?? id, listOption(options.strictNamespaces), listOption(options.requiredServices)),
    [graph, visible, options.strictNamespaces, options.requiredServices]
  );
  const index = useMemo(() => new NodeIndex(layout, filtered.shown), [layout, filtered.shown]);

  const canvasHeight = Math.max(height - TOOLBAR - 22, 60);
  const canvasWidth = Math.max(width, 60);
  const wrapper = useRef<HTMLDivElement>(null);
  const fitted = useRef(false);

  const scene: Scene = useMemo(
    () => ({ graph: visible, layout, shown: filtered.shown, matches: filtered.matches, thresholds, edgeLabels: options.edgeLabels, badges: badges.byNode }),
    [visible, layout, filtered, thresholds, options.edgeLabels, badges]
  );
  const marks: Marks = useMemo(() => ({ selected: selection?.id ?? null, hovered: hovered?.node?.id ?? null }), [selection, hovered]);
  const { canvasRef, viewRef, requestDraw, moved } = useCanvasDrawing(scene, marks, () => fitView({ x: 0, y: 0, w: layout.width, h: layout.height }, canvasWidth, canvasHeight), canvasWidth, canvasHeight, palette);

  const fit = useCallback(() => {
    const ids = [...filtered.shown];
    const pts = ids.map((id) => layout.positions.get(id)).filter((p) => p !== undefined);
    const all = filtered.shown.size === visible.nodes.length || pts.length === 0;
    const rect = all ? { x: 0, y: 0, w: layout.width, h: layout.height } : boundsOf(pts, LAYOUT.cell);
    viewRef.current = fitView(rect, canvasWidth, canvasHeight);
    requestDraw();
  }, [filtered.shown, visible.nodes.length, layout, canvasWidth, canvasHeight, requestDraw, viewRef]);
  // Fit once on the first drawing and when the focus changes; a refresh keeps the user's view.
  useEffect(() => {
    if (!fitted.current) {
      fitted.current = true;
      fit();
    }
  }, [fit]);
  useEffect(() => {
    if (focus !== null) {
      fit();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus, hideHealthy]);


  const isGroup = useCallback((id: string) => byId.get(id)?.kind !== 'service', [byId]);
  const hit = useCallback(
    (sx: number, sy: number): { node?: VisibleNode; edge?: VisibleEdge; box?: Box } => {
      const p = toWorld(viewRef.current, sx, sy);
      const k = viewRef.current.k;
      const nodeId = index.at(p, 3 / k, isGroup);
      if (nodeId) {
        return { node: byId.get(nodeId) };
      }
      // A box's header line collapses it; it wins over an edge passing through the header.
      const box = [...layout.boxes].reverse().find((b) => !b.collapsed && p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + LAYOUT.header);
      if (box) {
        return { box };
      }
      const edge = edgeAt(p, visible.edges, layout, filtered.shown, 5 / k);
      return edge ? { edge } : {};
    },
    [index, isGroup, byId, visible.edges, layout, filtered.shown, viewRef]
  );

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const local = (e: React.MouseEvent) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const onMouseDown = (e: React.MouseEvent) => {
    drag.current = { ...local(e), moved: false };
  };
  const onMouseMove = (e: React.MouseEvent) => {
    const p = local(e);
    if (drag.current && (e.buttons & 1) === 1) {
      const dx = p.x - drag.current.x;
      const dy = p.y - drag.current.y;
      if (drag.current.moved || Math.abs(dx) + Math.abs(dy) > 3) {
        drag.current = { ...p, moved: true };
        viewRef.current = { ...viewRef.current, tx: viewRef.current.tx + dx, ty: viewRef.current.ty + dy };
        moved();
      }
      return;
    }
    const h = hit(p.x, p.y);
    const next = h.node || h.edge ? { node: h.node, edge: h.edge, ...p } : null;
    if ((next?.node?.id ?? next?.edge?.id) !== (hovered?.node?.id ?? hovered?.edge?.id)) {
      setHovered(next);
    }
  };
  const toggle = (key: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) {
        next.add(key);
      }
      return next;
    });
  const onMouseUp = (e: React.MouseEvent) => {
    const wasDrag = drag.current?.moved;
    drag.current = null;
    if (wasDrag) {
      return;
    }
    const p = local(e);
    const h = hit(p.x, p.y);
    if (h.node) {
      setSelection({ kind: 'node', id: h.node.id });
    } else if (h.edge) {
      setSelection({ kind: 'edge', id: h.edge.id });
    } else if (h.box) {
      toggle(h.box.key);
    } else {
      setSelection(null);
    }
  };

  // Keyboard: arrows pan, +/- zoom, 0 fits, n / p walk the drawn nodes, Enter opens the walked one.
  const [walk, setWalk] = useState(-1);
  const drawnNodes = useMemo(() => visible.nodes.filter((n) => filtered.shown.has(n.id) && (!filtered.matches || filtered.matches.has(n.id))), [visible, filtered]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = 60;
    const v = viewRef.current;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => (viewRef.current = { ...v, tx: v.tx + step }),
      ArrowRight: () => (viewRef.current = { ...v, tx: v.tx - step }),
      ArrowUp: () => (viewRef.current = { ...v, ty: v.ty + step }),
      ArrowDown: () => (viewRef.current = { ...v, ty: v.ty - step }),
      '+': () => (viewRef.current = zoomAt(v, 1.25, canvasWidth / 2, canvasHeight / 2)),
      '=': () => (viewRef.current = zoomAt(v, 1.25, canvasWidth / 2, canvasHeight / 2)),
      '-': () => (viewRef.current = zoomAt(v, 0.8, canvasWidth / 2, canvasHeight / 2)),
      '0': fit,
      n: () => setWalk((w) => (drawnNodes.length ? (w + 1) % drawnNodes.length : -1)),
      p: () => setWalk((w) => (drawnNodes.length ? (w - 1 + drawnNodes.length) % drawnNodes.length : -1)),
      Enter: () => walk >= 0 && drawnNodes[walk] && setSelection({ kind: 'node', id: drawnNodes[walk].id }),
      Escape: () => setSelection(null),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
      requestDraw();
    }
  };
  const walked = walk >= 0 ? drawnNodes[walk] : undefined;
  useEffect(() => {
    const p = walked ? layout.positions.get(walked.id) : undefined;
    if (p) {
      const s = toScreen(viewRef.current, p);
      if (s.x < 0 || s.y < 0 || s.x > canvasWidth || s.y > canvasHeight) {
        viewRef.current = { ...viewRef.current, tx: viewRef.current.tx + canvasWidth / 2 - s.x, ty: viewRef.current.ty + canvasHeight / 2 - s.y };
      }
      setHovered({ node: walked, ...toScreen(viewRef.current, p) });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [walked]);

  const handle: TopologyHandle = {
    position: (id) => {
      const p = layout.positions.get(id);
      return p && filtered.shown.has(id) ? toScreen(viewRef.current, p) : null;
    },
    drawn: () => [...filtered.shown],
    edges: () =>
      visible.edges
        .filter((e) => filtered.shown.has(e.source) && filtered.shown.has(e.target))
        .map(({ id, source, target, mtls, rate, crosses }) => ({ id, source, target, mtls, rate, crosses })),
    collapsed: () => [...collapsed],
    badges: () => Object.fromEntries(badges.byNode),
    view: () => viewRef.current,
  };
  useEffect(() => {
    if (wrapper.current) {
      (wrapper.current as unknown as { meshTopology: TopologyHandle }).meshTopology = handle;
    }
  });

  const onSearchKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && filtered.matches && filtered.matches.size > 0) {
      const first = drawnNodes[0];
      const p = first && layout.positions.get(first.id);
      if (p) {
        viewRef.current = { k: Math.max(viewRef.current.k, 1), tx: 0, ty: 0 };
        const s = toScreen(viewRef.current, p);
        viewRef.current = { ...viewRef.current, tx: canvasWidth / 2 - s.x, ty: canvasHeight / 2 - s.y };
        setSelection({ kind: 'node', id: first.id });
        requestDraw();
      }
    }
  };

  const services = graph.nodes.length;
  const summary = `${services} services · ${graph.edges.length} edges` + (filtered.shown.size < visible.nodes.length ? ` · ${filtered.shown.size} of ${visible.nodes.length} drawn` : '');
  const notes = [
    graph.danglingEdges ? `${graph.danglingEdges} edges to unknown services not drawn` : '',
    graph.duplicateNodes ? `${graph.duplicateNodes} duplicate service rows ignored` : '',
    graph.duplicateEdges ? `${graph.duplicateEdges} duplicate edge rows ignored` : '',
    badges.missingRequired.length ? `required services without logs: ${badges.missingRequired.join(', ')}` : '',
    [...badges.byNode.values()].some((b) => b.includes('plaintext-into-strict')) ? 'plaintext into a strict namespace' : '',
  ].filter(Boolean);

  return (
    <div ref={wrapper} className={styles.wrapper} data-testid="topology-panel" style={{ width, height }}>
      <div className={styles.toolbar}>
        <Input
          className={styles.search}
          placeholder="Search services"
          aria-label="Search services"
          data-testid="topology-search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          onKeyDown={onSearchKey}
        />
        <Checkbox label="Hide healthy" value={hideHealthy} onChange={(e) => setHideHealthy(e.currentTarget.checked)} data-testid="topology-hide-healthy" />
        {focus !== null && (
          <Button size="sm" variant="secondary" onClick={() => setFocus(null)} data-testid="topology-unfocus">
            Show all (focused on {byId.get(focus)?.label ?? 'a hidden node'})
          </Button>
        )}
        <Button size="sm" variant="secondary" icon="expand-arrows" onClick={fit} data-testid="topology-fit" aria-label="Fit to view">
          Fit
        </Button>
        <Button size="sm" variant="secondary" onClick={() => setCollapsed(new Set())} data-testid="topology-expand-all">
          Expand all
        </Button>
        {(['namespace', 'cluster', 'platform'] as const).map((level) => (
          <Button key={level} size="sm" variant="secondary" fill="text" onClick={() => setCollapsed(new Set(groupsAt(graph, level)))} data-testid={`topology-collapse-${level}`}>
            Collapse {level}s
          </Button>
        ))}
      </div>
      <div className={styles.stage} style={{ height: canvasHeight }}>
        <canvas
          ref={canvasRef}
          width={Math.round(canvasWidth * (window.devicePixelRatio || 1))}
          height={Math.round(canvasHeight * (window.devicePixelRatio || 1))}
          style={{ width: canvasWidth, height: canvasHeight }}
          className={styles.canvas}
          data-testid="topology-canvas"
          tabIndex={0}
          role="application"
          aria-roledescription="mesh topology"
          aria-label={`Mesh topology: ${summary}. Arrow keys pan, plus and minus zoom, 0 fits, n and p step through services, Enter opens one.`}
          onMouseDown={onMouseDown}
          onMouseMove={onMouseMove}
          onMouseUp={onMouseUp}
          onMouseLeave={() => setHovered(null)}
          onKeyDown={onKeyDown}
        />
        {hovered && <HoverCard hovered={hovered} byId={byId} width={canvasWidth} height={canvasHeight} />}
        {selection && (
          <SidePanel
            selection={selection}
            graph={visible}
            byId={byId}
            links={links}
            thresholds={thresholds}
            onClose={() => setSelection(null)}
            onFocus={(id) => setFocus(id)}
            onToggleGroup={toggle}
            badges={badges.byNode}
            height={canvasHeight}
          />
        )}
      </div>
      <div className={styles.status} data-testid="topology-legend" aria-live="polite">
        {summary}
        {filtered.matches ? ` · ${filtered.matches.size} match “${search}”` : ''}
        {notes.length > 0 ? ` · ${notes.join(' · ')}` : ''}
        {walked ? ` · ${walked.label}` : ''}
        <span className={styles.key}> — solid mTLS · dashed plaintext · dotted unknown · long dashes partial · yellow/red ≥ {thresholds.warnPercent}/{thresholds.criticalPercent}% 5xx · blue halo crosses a cluster or platform</span>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ display: 'flex', flexDirection: 'column', position: 'relative', overflow: 'hidden' }),
  toolbar: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), height: TOOLBAR, flexShrink: 0, overflowX: 'auto', overflowY: 'hidden' }),
  search: css({ maxWidth: 220 }),
  stage: css({ position: 'relative', flexShrink: 0 }),
  canvas: css({ display: 'block', cursor: 'grab', outline: 'none', '&:focus-visible': { boxShadow: `0 0 0 2px ${theme.colors.primary.main}` } }),
  status: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', height: 22 }),
  key: css({ color: theme.colors.text.disabled }),
});
