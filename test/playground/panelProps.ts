import { EventBusSrv, LoadingState, type DataFrame, type PanelProps, type TimeRange } from '@grafana/data';

export interface PanelInput {
  id: number;
  title: string;
  series: DataFrame[];
  timeRange: TimeRange;
  options: Record<string, unknown>;
}

/** The props Grafana hands a panel, for a panel drawn outside Grafana at `width` × `height`. */
export function panelProps(input: PanelInput, width: number, height: number): PanelProps<Record<string, unknown>> {
  return {
    id: input.id,
    title: input.title,
    transparent: false,
    width,
    height,
    renderCounter: 0,
    data: { state: LoadingState.Done, series: input.series, timeRange: input.timeRange },
    timeRange: input.timeRange,
    timeZone: 'utc',
    options: input.options,
    fieldConfig: { defaults: {}, overrides: [] },
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  };
}
