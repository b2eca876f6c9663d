import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field } from '@grafana/ui';
import type { MeshAuditOptions } from '../types';

export function ConfigEditor({ options, onOptionsChange }: DataSourcePluginOptionsEditorProps<MeshAuditOptions>) {
  return (
    <Field label="Loki data source" description="The Loki data source that holds the mesh access logs.">
      <DataSourcePicker
        type="loki"
        current={options.jsonData.lokiUid ?? null}
        onChange={(ds) => onOptionsChange({ ...options, jsonData: { ...options.jsonData, lokiUid: ds.uid } })}
      />
    </Field>
  );
}
