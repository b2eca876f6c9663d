import React from 'react';
import type { PanelProps } from '@grafana/data';
import { PanelEmptyState } from '../../components/PanelEmptyState';
import { findFrame } from '../frames/findFrame';
import type { RetentionPanelOptions } from './types';

/** Renders the `retention` frame: coverage per log class. */
export function RetentionPanel({ data }: PanelProps<RetentionPanelOptions>) {
  const coverage = findFrame(data.series, 'retention');
  if (!coverage || coverage.length === 0) {
    return (
      <PanelEmptyState
        testId="retention-panel-empty"
        title="No retention coverage"
        detail='Use the Mesh Audit data source with query type "retention"; coverage is measured day by day over the time range.'
      />
    );
  }
  return <div data-testid="retention-panel">{coverage.length} log classes</div>;
}
