import React from 'react';
import type { PanelProps } from '@grafana/data';
import { PanelEmptyState } from '../../components/PanelEmptyState';
import { findFrame } from '../frames/findFrame';
import type { ControlsPanelOptions } from './types';

/** Renders the `controls` frame: one row per SOC 2 control. */
export function ControlsPanel({ data }: PanelProps<ControlsPanelOptions>) {
  const controls = findFrame(data.series, 'controls');
  if (!controls || controls.length === 0) {
    return (
      <PanelEmptyState
        testId="controls-panel-empty"
        title="No control evaluations"
        detail='Use the Mesh Audit data source with query type "controls" over the audit window.'
      />
    );
  }
  return <div data-testid="controls-panel">{controls.length} controls evaluated</div>;
}
