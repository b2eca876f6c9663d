import React, { useCallback, useRef } from 'react';
import { Field, MultiCombobox, type ComboboxOption } from '@grafana/ui';
import type { ValueSource, VariableKind } from '../../variables/model';

interface Props {
  label: string;
  kind: VariableKind;
  values: string[];
  datasource: ValueSource;
  onChange: (values: string[]) => void;
}

/**
 * One stream filter: suggestions from Loki (label values, or services from a metric query), any
 * typed value accepted (dashboard variables such as $namespace included). Suggestions failing to
 * load leave the field usable; the query itself reports Loki errors.
 */
export function FilterField({ label, kind, values, datasource, onChange }: Props) {
  // One Loki lookup per field while the editor is open, not one per keystroke.
  const values$ = useRef<Promise<string[]> | undefined>(undefined);
  const options = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      try {
        values$.current ??= datasource.metricFindQuery({ refId: 'options', kind }).then((found) => found.map((v) => String(v.text)));
        const found = await values$.current;
        return found
          .filter((v) => v.toLowerCase().includes(input.toLowerCase()))
          .map((v) => ({ value: v, label: v }));
      } catch {
        values$.current = undefined;
        return [];
      }
    },
    [datasource, kind]
  );
  return (
    <Field label={label}>
      <MultiCombobox
        data-testid={`meshaudit-filter-${kind}`}
        width={28}
        placeholder="any"
        options={options}
        createCustomValue
        value={values}
        onChange={(picked) => onChange(picked.map((p) => p.value))}
      />
    </Field>
  );
}
