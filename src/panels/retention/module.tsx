import { PanelPlugin } from '@grafana/data';
import { RetentionPanel } from './RetentionPanel';
import type { RetentionPanelOptions } from './types';

export const plugin = new PanelPlugin<RetentionPanelOptions>(RetentionPanel).setPanelOptions((builder) =>
  builder.addSliderInput({
    path: 'gapThreshold',
    name: 'Gap threshold',
    description: 'A day counts as a gap when its lines are below this share of the median day (line-count frames; from the index, a gap is a day without data).',
    defaultValue: 0.1,
    settings: { min: 0, max: 1, step: 0.05 },
  })
);
