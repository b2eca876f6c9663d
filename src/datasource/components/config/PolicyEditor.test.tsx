import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DEFAULT_POLICY } from '../../../core/policy';
import { PolicyEditor } from './PolicyEditor';

describe('PolicyEditor', () => {
  it('reports a valid threshold as a share and refuses an invalid one with a reason', () => {
    const onChange = jest.fn();
    render(<PolicyEditor policy={DEFAULT_POLICY} onChange={onChange} />);
    const inputs = screen.getAllByRole('textbox');
    const maxError = inputs.find((i) => (i as HTMLInputElement).value === '5')!;
    fireEvent.change(maxError, { target: { value: '2.5' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_POLICY, thresholds: { ...DEFAULT_POLICY.thresholds, maxErrorShare: 0.025 } });
    onChange.mockClear();
    fireEvent.change(maxError, { target: { value: '250' } });
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText('Enter a value from 0 to 100.')).toBeInTheDocument();
  });

  it('adds and removes log classes', () => {
    const onChange = jest.fn();
    render(<PolicyEditor policy={DEFAULT_POLICY} onChange={onChange} />);
    fireEvent.click(screen.getByText('Add log class'));
    expect(onChange.mock.calls[0][0].logClasses).toHaveLength(3);
    fireEvent.click(screen.getByLabelText('Remove log class mesh-audit'));
    expect(onChange.mock.calls[1][0].logClasses.map((c: { name: string }) => c.name)).toEqual(['mesh-access']);
  });
});

describe('PolicyEditor typing', () => {
  it('keeps intermediate text such as "0.0" while the parent value round-trips', () => {
    function Harness() {
      const [policy, setPolicy] = React.useState(DEFAULT_POLICY);
      return <PolicyEditor policy={policy} onChange={setPolicy} />;
    }
    render(<Harness />);
    const maxError = screen.getAllByRole('textbox').find((i) => (i as HTMLInputElement).value === '5') as HTMLInputElement;
    fireEvent.change(maxError, { target: { value: '0.0' } });
    expect(maxError.value).toBe('0.0');
    fireEvent.change(maxError, { target: { value: '0.05' } });
    expect(maxError.value).toBe('0.05');
  });
});
