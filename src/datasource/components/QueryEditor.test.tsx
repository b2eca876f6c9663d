import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { MeshAuditDataSource } from '../datasource';
import type { MeshAuditOptions, MeshAuditQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// jsdom has no canvas; Combobox measures its text with one.
beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => ({ measureText: (t: string) => ({ width: t.length * 7 }) })) as never;
});

function setup(query: MeshAuditQuery) {
  const datasource = new MeshAuditDataSource(
    { uid: 'mesh', name: 'Mesh', jsonData: { lokiUid: 'loki', logSourceMode: 'normalized' } } as DataSourceInstanceSettings<MeshAuditOptions>,
    () => undefined as never
  );
  const onChange = jest.fn();
  const view = render(<QueryEditor query={query} datasource={datasource} onChange={onChange} onRunQuery={() => {}} />);
  return { onChange, view, datasource };
}

const shown = () => screen.getAllByTestId('meshaudit-logql-expr').map((e) => e.textContent);

describe('QueryEditor', () => {
  it('shows the LogQL the data source sends, with Explore links to the Loki data source', () => {
    setup({ refId: 'A', queryType: 'topology', filters: { namespace: ['a"b'] } });
    expect(shown()).toHaveLength(3);
    expect(shown()[0]).toContain('namespace="a\\"b"');
    const links = screen.getAllByText('Open in Explore');
    expect(links[0].closest('a')!.getAttribute('href')).toContain('/explore?');
  });

  it('turning a toggle off changes the query model', () => {
    const { onChange } = setup({ refId: 'A', queryType: 'topology' });
    fireEvent.click(screen.getByTestId('meshaudit-toggle-showErrors'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ topology: expect.objectContaining({ showErrors: false }) }));
  });

  it('shows why a query cannot run instead of LogQL', () => {
    setup({ refId: 'A', queryType: 'retention', retentionClasses: ['gone'] });
    expect(screen.getByTestId('meshaudit-logql-error').textContent).toContain('unknown log class "gone"');
  });
});

describe('QueryEditor long-query warning', () => {
  it('warns when auto-detection across every profile makes a query URL longer than 8 KB', () => {
    // The coverage control sums every profile inside one query, the longest the data source sends.
    const policy = { requiredServices: ['checkout'] };
    const datasource = new MeshAuditDataSource(
      { uid: 'mesh', name: 'Mesh', jsonData: { lokiUid: 'loki', logSourceMode: 'auto', policy } } as DataSourceInstanceSettings<MeshAuditOptions>,
      () => undefined as never
    );
    render(<QueryEditor query={{ refId: 'A', queryType: 'controls' }} datasource={datasource} onChange={() => {}} onRunQuery={() => {}} />);
    expect(screen.getByTestId('meshaudit-logql-long').textContent).toMatch(/longest query is \d+ KB/);
  });

  it('does not warn for normalised logs', () => {
    setup({ refId: 'A', queryType: 'controls' });
    expect(screen.queryByTestId('meshaudit-logql-long')).toBeNull();
  });
});
