import React from 'react';
import { Stack } from '@grafana/ui';
import type { StreamFilters } from '../../../core/query';
import type { ValueSource } from '../../variables/model';
import { FilterField } from './FilterField';

interface Props {
  filters: StreamFilters;
  datasource: ValueSource;
  onChange: (filters: StreamFilters) => void;
}

export function FiltersRow({ filters, datasource, onChange }: Props) {
  const set = (key: keyof StreamFilters) => (values: string[]) => onChange({ ...filters, [key]: values.length > 0 ? values : undefined });
  return (
    <Stack direction="row" gap={1} wrap="wrap">
      <FilterField label="Platform" kind="platforms" values={filters.platform ?? []} datasource={datasource} onChange={set('platform')} />
      <FilterField label="Cluster" kind="clusters" values={filters.cluster ?? []} datasource={datasource} onChange={set('cluster')} />
      <FilterField label="Namespace" kind="namespaces" values={filters.namespace ?? []} datasource={datasource} onChange={set('namespace')} />
      <FilterField label="Service" kind="services" values={filters.service ?? []} datasource={datasource} onChange={set('service')} />
    </Stack>
  );
}
