import React from 'react';
import type { DataSourcePluginOptionsEditorProps, SelectableValue } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Alert, Field, FieldSet, Input, MultiCombobox, RadioButtonGroup, type ComboboxOption } from '@grafana/ui';
import { DEFAULT_LABEL_NAMES, type LabelNames } from '../../core/query';
import { PROFILE_NAMES, type ProfileName } from '../../core/schema';
import { resolvePolicy } from '../settings';
import type { LogSourceMode, MeshAuditOptions } from '../types';
import { PolicyEditor } from './config/PolicyEditor';

const MODES: Array<SelectableValue<LogSourceMode>> = [
  { value: 'auto', label: 'Auto-detect', description: 'Parse every known mesh format at query time' },
  { value: 'normalized', label: 'Normalised at ingest', description: 'The shipper writes common-schema JSON' },
  { value: 'raw', label: 'Raw, these profiles', description: 'Parse only the formats picked below' },
];

const PROFILE_OPTIONS: Array<ComboboxOption<ProfileName>> = PROFILE_NAMES.map((p) => ({ value: p, label: p }));

const LABEL_FIELDS: Array<{ key: keyof LabelNames; label: string }> = [
  { key: 'cluster', label: 'Cluster label' },
  { key: 'platform', label: 'Platform label' },
  { key: 'namespace', label: 'Namespace label' },
  { key: 'mesh', label: 'Mesh label' },
  { key: 'logType', label: 'Log type label' },
];

export function ConfigEditor({ options, onOptionsChange }: DataSourcePluginOptionsEditorProps<MeshAuditOptions>) {
  const jsonData = options.jsonData;
  const resolved = resolvePolicy(jsonData);
  const set = (patch: Partial<MeshAuditOptions>) => onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const mode = jsonData.logSourceMode ?? 'auto';
  return (
    <>
      <FieldSet label="Loki">
        <Field label="Loki data source" description="The Loki data source that holds the mesh access logs; queries go through its proxy.">
          <DataSourcePicker type="loki" current={jsonData.lokiUid ?? null} noDefault onChange={(ds) => set({ lokiUid: ds.uid })} />
        </Field>
      </FieldSet>
      <FieldSet label="Mesh log formats">
        <Field label="How the logs are stored">
          <RadioButtonGroup options={MODES} value={mode} onChange={(logSourceMode) => set({ logSourceMode })} />
        </Field>
        {mode === 'raw' && (
          <Field label="Profiles in use" description="Only these formats are parsed at query time" invalid={(jsonData.profiles ?? []).length === 0} error="Pick at least one profile.">
            <MultiCombobox
              options={PROFILE_OPTIONS}
              value={jsonData.profiles ?? []}
              onChange={(picked) => set({ profiles: picked.map((p) => p.value) })}
            />
          </Field>
        )}
      </FieldSet>
      <FieldSet label="Label names">
        {LABEL_FIELDS.map(({ key, label }) => (
          <Field key={key} label={label} description={`Default: ${DEFAULT_LABEL_NAMES[key]}`}>
            <Input
              width={30}
              placeholder={DEFAULT_LABEL_NAMES[key]}
              value={jsonData.labelNames?.[key] ?? ''}
              onChange={(e) => set({ labelNames: { ...jsonData.labelNames, [key]: e.currentTarget.value } })}
            />
          </Field>
        ))}
      </FieldSet>
      {'error' in resolved && (
        <Alert severity="error" title="The policy in this data source's settings is not valid">
          {resolved.error}. No query runs until it is fixed (provisioning, or saving this form, which replaces it with the policy below).
        </Alert>
      )}
      <PolicyEditor policy={resolved.policy} onChange={(policy) => set({ policy })} />
    </>
  );
}
