import React from 'react';
import { useLocation } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { PluginPage, getDataSourceSrv } from '@grafana/runtime';
import { Stack, Text, TextLink } from '@grafana/ui';
import { EvidenceExport, type EvidenceSource } from './EvidenceExport';

const DATASOURCE_PLUGIN = 'meshaudit-loki-datasource';

function Overview({ basename }: { basename: string }) {
  return (
    <Stack direction="column" gap={2}>
      <Text element="p">
        Mesh Audit turns service-mesh access logs in Loki into a mesh topology, SOC 2 control evidence and
        log-retention coverage.
      </Text>
      <TextLink href="/dashboards?tag=mesh-audit">Mesh Audit dashboards</TextLink>
      <TextLink href={`${basename}/evidence`}>Export SOC 2 evidence for an audit window</TextLink>
      <TextLink href="/connections/datasources">Configure the Mesh Audit data source</TextLink>
    </Stack>
  );
}

/**
 * Overview page, and the Evidence export page at <app>/evidence. getDataSourceSrv is deprecated,
 * but its replacements live in @grafana/runtime/unstable and /internal, which community plugins
 * must not use; it stays until they reach the public entry point.
 */
/* eslint-disable @typescript-eslint/no-deprecated */
export function App(props: AppRootProps) {
  const { pathname } = useLocation();
  const evidence = pathname.replace(/\/+$/, '').endsWith('/evidence');
  return (
    <PluginPage>
      {evidence ? (
        <EvidenceExport
          dataSources={getDataSourceSrv()
            .getList({ pluginId: DATASOURCE_PLUGIN })
            .map((d) => ({ uid: d.uid, name: d.name }))}
          load={async (uid) => (await getDataSourceSrv().get(uid)) as unknown as EvidenceSource}
        />
      ) : (
        <Overview basename={props.basename} />
      )}
    </PluginPage>
  );
}
