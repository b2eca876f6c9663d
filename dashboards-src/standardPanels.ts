/**
 * Core Grafana panels configured the same way across the suite (stat tiles, time series,
 * logs), built with the foundation SDK's typed panel builders.
 */
import {
  ReduceDataOptionsBuilder,
  BigValueColorMode,
  BigValueGraphMode,
  LogsSortOrder,
  GraphDrawStyle,
} from '@grafana/grafana-foundation-sdk/common';
import { ThresholdsConfigBuilder, ThresholdsMode, type DataSourceRef, type Threshold } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as LogsPanelBuilder } from '@grafana/grafana-foundation-sdk/logs';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';

/** A panel's data source is its targets' (all the same); mixing would need Grafana's "-- Mixed --". */
function datasourceOf(targets: ReadonlyArray<Builder<Dataquery>>): DataSourceRef {
  const refs = targets.map((target) => (target.build() as { datasource?: DataSourceRef }).datasource);
  const first = refs[0];
  if (!first?.uid || refs.some((ref) => ref?.uid !== first.uid || ref?.type !== first.type)) {
    throw new Error(`a panel's targets must share one data source, got ${JSON.stringify(refs)}`);
  }
  return { ...first };
}

export interface PanelSize {
  w: number;
  h: number;
}

/** Threshold steps: the base colour, then `[value, colour]` pairs in ascending order. */
export function thresholds(base: string, ...steps: Array<[number, string]>): ThresholdsConfigBuilder {
  const list: Threshold[] = [{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(list);
}

export interface StatOptions {
  title: string;
  description: string;
  unit: string;
  size: PanelSize;
  targets: Array<Builder<Dataquery>>;
  thresholds?: ThresholdsConfigBuilder;
  decimals?: number;
}

/**
 * A single number for the whole time range: the target should be an instant query over
 * `$__range`, so the value is exact (a mean of per-step shares would not be).
 */
export function statPanel(options: StatOptions): StatPanelBuilder {
  const panel = new StatPanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(datasourceOf(options.targets))
    .targets(options.targets)
    .unit(options.unit)
    .span(options.size.w)
    .height(options.size.h)
    .graphMode(BigValueGraphMode.None)
    .colorMode(BigValueColorMode.Value)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .noValue('no evidence');
  if (options.thresholds) {
    panel.thresholds(options.thresholds);
  }
  if (options.decimals !== undefined) {
    panel.decimals(options.decimals);
  }
  return panel;
}

export interface TimeseriesOptions {
  title: string;
  description: string;
  unit: string;
  size: PanelSize;
  targets: Array<Builder<Dataquery>>;
  bars?: boolean;
  /** Fixed step for the panel's queries, e.g. `1d` for daily buckets. */
  interval?: string;
  thresholds?: ThresholdsConfigBuilder;
}

export function timeseriesPanel(options: TimeseriesOptions): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(datasourceOf(options.targets))
    .targets(options.targets)
    .unit(options.unit)
    .span(options.size.w)
    .height(options.size.h)
    .drawStyle(options.bars ? GraphDrawStyle.Bars : GraphDrawStyle.Line)
    .fillOpacity(options.bars ? 80 : 10)
    .noValue('no evidence');
  if (options.interval) {
    panel.interval(options.interval);
  }
  if (options.thresholds) {
    panel.thresholds(options.thresholds);
  }
  return panel;
}

export interface LogsOptions {
  title: string;
  description: string;
  size: PanelSize;
  target: Builder<Dataquery>;
}

/** Raw evidence lines, newest first, with log details for each record's fields. */
export function logsPanel(options: LogsOptions): LogsPanelBuilder {
  return new LogsPanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(datasourceOf([options.target]))
    .withTarget(options.target)
    .span(options.size.w)
    .height(options.size.h)
    .showTime(true)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(LogsSortOrder.Descending);
}

export interface TableOptions {
  title: string;
  description: string;
  size: PanelSize;
  target: Builder<Dataquery>;
}

/** Rows as the data source returns them; filterable headers; Inspect > Data exports them as CSV. */
export function tablePanel(options: TableOptions): TablePanelBuilder {
  return new TablePanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(datasourceOf([options.target]))
    .withTarget(options.target)
    .span(options.size.w)
    .height(options.size.h)
    .showHeader(true)
    .filterable(true);
}
