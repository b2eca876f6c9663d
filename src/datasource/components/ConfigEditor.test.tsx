import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { DEFAULT_POLICY } from '../../core/policy';
import type { MeshAuditOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

// The picker lists Grafana's data sources from the server; here it offers one Loki data source.
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  DataSourcePicker: ({ onChange, type }: { onChange: (ds: { uid: string }) => void; type: string }) => (
    <button onClick={() => onChange({ uid: 'loki-prod' })}>pick {type}</button>
  ),
}));

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => ({ measureText: (t: string) => ({ width: t.length * 7 }) })) as never;
});

function setup(jsonData: MeshAuditOptions = {}) {
  const onOptionsChange = jest.fn();
  const options = { jsonData, secureJsonFields: {} } as unknown as DataSourceSettings<MeshAuditOptions>;
  render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return { onOptionsChange, last: () => onOptionsChange.mock.calls.at(-1)![0].jsonData as MeshAuditOptions };
}

describe('ConfigEditor', () => {
  it('stores the picked Loki data source by uid', () => {
    const { last } = setup();
    fireEvent.click(screen.getByText('pick loki'));
    expect(last().lokiUid).toBe('loki-prod');
  });

  it('offers the profile picker only for raw logs and asks for at least one', () => {
    const { last } = setup();
    expect(screen.queryByText('Profiles in use')).toBeNull();
    fireEvent.click(screen.getByLabelText('Raw, these profiles'));
    expect(last().logSourceMode).toBe('raw');
    setup({ logSourceMode: 'raw' });
    expect(screen.getByText('Profiles in use')).toBeInTheDocument();
    expect(screen.getByText('Pick at least one profile.')).toBeInTheDocument();
  });

  it('keeps label names with defaults as placeholders', () => {
    const { last } = setup();
    fireEvent.change(screen.getByPlaceholderText('cluster'), { target: { value: 'k8s_cluster' } });
    expect(last().labelNames).toEqual({ cluster: 'k8s_cluster' });
  });

  it('edits the policy starting from the default policy', () => {
    const { last } = setup();
    fireEvent.click(screen.getByText('Add log class'));
    expect(last().policy?.logClasses).toHaveLength(DEFAULT_POLICY.logClasses.length + 1);
  });
});
