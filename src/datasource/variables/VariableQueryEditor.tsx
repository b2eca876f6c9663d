import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, RadioButtonGroup } from '@grafana/ui';
import type { MeshAuditDataSource } from '../datasource';
import type { MeshAuditOptions, MeshAuditQuery } from '../types';
import { VARIABLE_KINDS, type MeshAuditVariableQuery } from './model';

type Props = QueryEditorProps<MeshAuditDataSource, MeshAuditQuery, MeshAuditOptions, MeshAuditVariableQuery>;

export function VariableQueryEditor({ query, onChange }: Props) {
  return (
    <Field label="Values" description={VARIABLE_KINDS.find((k) => k.value === query.kind)?.description}>
      <RadioButtonGroup
        options={VARIABLE_KINDS.map(({ value, label }) => ({ value, label }))}
        value={query.kind ?? 'namespaces'}
        onChange={(kind) => onChange({ ...query, kind })}
      />
    </Field>
  );
}
