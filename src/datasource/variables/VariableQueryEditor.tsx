import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, RadioButtonGroup, Stack } from '@grafana/ui';
import { FiltersRow } from '../components/query/FiltersRow';
import type { MeshAuditOptions, MeshAuditQuery } from '../types';
import { VARIABLE_KINDS, type MeshAuditVariableQuery, type ValueSource } from './model';

type Props = QueryEditorProps<ValueSource, MeshAuditQuery, MeshAuditOptions, MeshAuditVariableQuery>;

/** Which values a variable lists, narrowed by filters that may themselves use variables ($cluster). */
export function VariableQueryEditor({ query, onChange, datasource }: Props) {
  const kind = query.kind ?? 'namespaces';
  return (
    <Stack direction="column" gap={1}>
      <Field label="Values" description={VARIABLE_KINDS.find((k) => k.value === kind)?.description}>
        <RadioButtonGroup
          options={VARIABLE_KINDS.map(({ value, label }) => ({ value, label }))}
          value={kind}
          onChange={(next) => onChange({ ...query, kind: next })}
        />
      </Field>
      <FiltersRow filters={query.filters ?? {}} datasource={datasource} onChange={(filters) => onChange({ ...query, kind, filters })} />
    </Stack>
  );
}
