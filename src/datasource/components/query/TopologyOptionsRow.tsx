import React from 'react';
import { InlineField, InlineSwitch, RadioButtonGroup, Stack } from '@grafana/ui';
import type { TopologyGroupBy, TopologyOptions } from '../../../core/query';

const GROUP_BY: Array<{ value: TopologyGroupBy; label: string }> = [
  { value: 'workload', label: 'Workload' },
  { value: 'namespace', label: 'Namespace' },
  { value: 'cluster', label: 'Cluster' },
  { value: 'platform', label: 'Platform' },
];

interface Props {
  options: TopologyOptions;
  onChange: (options: TopologyOptions) => void;
}

export function TopologyOptionsRow({ options, onChange }: Props) {
  const toggle = (key: 'showErrors' | 'showLatency' | 'showMtls', label: string) => (
    <InlineField label={label}>
      <InlineSwitch
        data-testid={`meshaudit-toggle-${key}`}
        value={options[key]}
        onChange={(e) => onChange({ ...options, [key]: e.currentTarget.checked })}
      />
    </InlineField>
  );
  return (
    <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
      <InlineField label="Group by">
        <RadioButtonGroup options={GROUP_BY} value={options.groupBy} onChange={(groupBy) => onChange({ ...options, groupBy })} />
      </InlineField>
      {toggle('showErrors', 'Errors')}
      {toggle('showLatency', 'Latency p95')}
      {toggle('showMtls', 'mTLS')}
    </Stack>
  );
}
