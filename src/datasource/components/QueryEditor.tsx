import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { RadioButtonGroup } from '@grafana/ui';
import type { MeshAuditDataSource } from '../datasource';
import type { MeshAuditOptions, MeshAuditQuery, MeshAuditQueryType } from '../types';

const QUERY_TYPES: Array<{ value: MeshAuditQueryType; label: string }> = [
  { value: 'topology', label: 'Topology' },
  { value: 'controls', label: 'Controls' },
  { value: 'retention', label: 'Retention' },
  { value: 'logs', label: 'Logs' },
];

export function QueryEditor({ query, onChange }: QueryEditorProps<MeshAuditDataSource, MeshAuditQuery, MeshAuditOptions>) {
  return (
    <RadioButtonGroup
      options={QUERY_TYPES}
      value={query.queryType ?? 'topology'}
      onChange={(queryType) => onChange({ ...query, queryType })}
    />
  );
}
