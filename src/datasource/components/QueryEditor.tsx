import React, { useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, Field, Input, InlineField, MultiCombobox, RadioButtonGroup, Stack } from '@grafana/ui';
import { controlsOf } from '../../core/controls';
import { DEFAULT_TOPOLOGY_OPTIONS } from '../../core/query';
import type { MeshAuditDataSource } from '../datasource';
import { DEFAULT_LOGS_LIMIT } from '../../core/plan';
import type { MeshAuditOptions, MeshAuditQuery, MeshAuditQueryType } from '../types';
import { FiltersRow } from './query/FiltersRow';
import { GeneratedLogql } from './query/GeneratedLogql';
import { TopologyOptionsRow } from './query/TopologyOptionsRow';

const QUERY_TYPES: Array<{ value: MeshAuditQueryType; label: string }> = [
  { value: 'topology', label: 'Topology' },
  { value: 'controls', label: 'Controls' },
  { value: 'retention', label: 'Retention' },
  { value: 'logs', label: 'Logs' },
];


type Props = QueryEditorProps<MeshAuditDataSource, MeshAuditQuery, MeshAuditOptions>;

export function QueryEditor({ query, onChange, onRunQuery, datasource, range }: Props) {
  const queryType = query.queryType ?? 'topology';
  const update = (patch: Partial<MeshAuditQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  const rangeMs = range ? range.to.valueOf() - range.from.valueOf() : undefined;
  // Building every profile's LogQL is not free: only when the target or the range changes.
  const preview = useMemo(() => datasource.preview(query, rangeMs), [datasource, query, rangeMs]);
  // The catalog's controls and the policy's own.
  const controlOptions = useMemo(() => controlsOf(datasource.settings.policy).map((c) => ({ value: c.id, label: `${c.id}: ${c.title}` })), [datasource]);
  const logs = { limit: DEFAULT_LOGS_LIMIT, ...query.logs };
  const text = (key: 'srcWorkload' | 'dstService') => (e: React.FormEvent<HTMLInputElement>) =>
    onChange({ ...query, logs: { ...logs, [key]: e.currentTarget.value || undefined } });
  return (
    <Stack direction="column" gap={1}>
      <InlineField label="Query type">
        <RadioButtonGroup options={QUERY_TYPES} value={queryType} onChange={(t) => update({ queryType: t })} />
      </InlineField>
      <FiltersRow filters={query.filters ?? {}} datasource={datasource} onChange={(filters) => update({ filters })} />
      {queryType === 'topology' && (
        <TopologyOptionsRow options={{ ...DEFAULT_TOPOLOGY_OPTIONS, ...query.topology }} onChange={(topology) => update({ topology })} />
      )}
      {queryType === 'controls' && (
        <Field label="Controls" description="Empty = the whole catalog">
          <MultiCombobox options={controlOptions} value={query.controls ?? []} onChange={(picked) => update({ controls: picked.map((p) => p.value) })} />
        </Field>
      )}
      {queryType === 'retention' && (
        <Field label="Log classes" description="From the logging policy; empty = every class">
          <MultiCombobox
            options={datasource.settings.policy.logClasses.map((c) => ({ value: c.name, label: `${c.name} (${c.retentionDays} days)` }))}
            value={query.retentionClasses ?? []}
            onChange={(picked) => update({ retentionClasses: picked.map((p) => p.value) })}
          />
        </Field>
      )}
      {queryType === 'logs' && (
        <Stack direction="row" gap={1} wrap="wrap">
          <Field label="Source workload">
            <Input width={24} value={logs.srcWorkload ?? ''} onChange={text('srcWorkload')} onBlur={onRunQuery} />
          </Field>
          <Field label="Destination service">
            <Input width={24} value={logs.dstService ?? ''} onChange={text('dstService')} onBlur={onRunQuery} />
          </Field>
          <Field label="Control evidence">
            <Combobox
              width={28}
              options={controlOptions}
              value={logs.controlId ?? null}
              isClearable
              placeholder="none"
              onChange={(picked) => update({ logs: { ...logs, controlId: picked?.value } })}
            />
          </Field>
          <Field label="Line limit">
            <Input
              width={12}
              type="number"
              value={logs.limit}
              onChange={(e) => onChange({ ...query, logs: { ...logs, limit: Number(e.currentTarget.value) } })}
              onBlur={onRunQuery}
            />
          </Field>
        </Stack>
      )}
      <GeneratedLogql
        expressions={preview.expressions}
        error={preview.error}
        lokiUid={datasource.settings.lokiUid}
        range={range?.raw ?? { from: 'now-1h', to: 'now' }}
      />
    </Stack>
  );
}
