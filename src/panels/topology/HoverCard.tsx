import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { VisibleEdge, VisibleNode } from './grouping';
import { edgeLabel } from './render';

/** What the pointer (or the keyboard's n / p) is on, and where on the canvas. */
export interface Hovered {
  node?: VisibleNode;
  edge?: VisibleEdge;
  x: number;
  y: number;
}

interface Props {
  hovered: Hovered;
  byId: ReadonlyMap<string, VisibleNode>;
  width: number;
  height: number;
}

/** The short card beside the pointer; the side panel has the rest. */
export function HoverCard({ hovered, byId, width, height }: Props) {
  const styles = useStyles2(getStyles);
  const { node, edge } = hovered;
  return (
    <div className={styles.card} style={{ left: Math.min(hovered.x + 12, width - 220), top: Math.min(hovered.y + 12, height - 60) }} data-testid="topology-hover" role="tooltip">
      {node ? (
        <>
          <strong>{node.label}</strong>
          <div>{node.kind === 'service' ? [node.namespace, node.cluster, node.platform].join(' · ') : `${node.kind}, ${node.services} services`}</div>
          <div>
            {node.rateIn === null ? 'no inbound rate' : `${node.rateIn.toFixed(2)} rps in`}
            {node.errorShare !== null ? ` · ${(node.errorShare * 100).toFixed(1)}% 5xx` : ''}
          </div>
        </>
      ) : edge ? (
        <>
          <strong>
            {byId.get(edge.source)?.label} → {byId.get(edge.target)?.label}
          </strong>
          <div>{edgeLabel(edge)}</div>
          <div>mTLS: {edge.mtls}</div>
        </>
      ) : null}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    position: 'absolute',
    pointerEvents: 'none',
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.5, 1),
    ...theme.typography.bodySmall,
    boxShadow: theme.shadows.z2,
    maxWidth: 240,
  }),
});
