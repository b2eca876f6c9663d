import React from 'react';
import type { AppRootProps } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Stack, Text, TextLink } from '@grafana/ui';

/** Overview page: what the suite provides and where to find it. */
export function App(_props: AppRootProps) {
  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <Text element="p">
          Mesh Audit turns service-mesh access logs in Loki into a mesh topology, SOC 2 control evidence and
          log-retention coverage.
        </Text>
        <TextLink href="/dashboards?tag=mesh-audit">Mesh Audit dashboards</TextLink>
        <TextLink href="/connections/datasources">Configure the Mesh Audit data source</TextLink>
      </Stack>
    </PluginPage>
  );
}
