import React, { useMemo } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Badge, useStyles2, type BadgeColor } from '@grafana/ui';
import { PanelEmptyState } from '../../components/PanelEmptyState';
import { FRAME } from '../../core/frames';
import { findFrame, readFrame } from '../frames/findFrame';
import { dayLabel, summarizeCoverage, type ClassCoverage, type CoverageStatus, type DayCell } from './coverage';
import { isIndexFrame, summarizeIndexCoverage, weekRows } from './indexCoverage';
import type { RetentionPanelOptions } from './types';

const STATUS: Record<CoverageStatus, { text: string; color: BadgeColor }> = {
  proven: { text: 'Retention proven', color: 'green' },
  gaps: { text: 'Gaps', color: 'orange' },
  short: { text: 'Too short', color: 'red' },
  unknown: { text: 'Cannot tell', color: 'blue' },
  meets: { text: 'Meets policy', color: 'green' },
  'configured-short': { text: 'Configured too short', color: 'red' },
  gap: { text: 'Gaps', color: 'orange' },
  'range-too-short': { text: 'Range too short to tell', color: 'blue' },
};

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Renders the `retention` frame: per log class, required vs observed retention and a day strip. */
export function RetentionPanel({ data, options, timeRange }: PanelProps<RetentionPanelOptions>) {
  const styles = useStyles2(getStyles);
  const frame = findFrame(data.series, FRAME.retention);
  const threshold = options.gapThreshold ?? 0.1;
  const rangeEndMs = timeRange.to.valueOf();
  const summary = useMemo(
    () =>
      frame
        ? readFrame(() =>
            isIndexFrame(frame)
              ? summarizeIndexCoverage(frame, rangeEndMs)
              : summarizeCoverage(frame, threshold, rangeEndMs)
          )
        : undefined,
    [frame, threshold, rangeEndMs]
  );

  if (summary instanceof Error) {
    return (
      <PanelEmptyState testId="retention-panel-error" title="Cannot read retention coverage" detail={summary.message} />
    );
  }
  if (!summary || summary.length === 0) {
    return (
      <PanelEmptyState
        testId="retention-panel-empty"
        title="No retention coverage"
        detail='Use the Mesh Audit data source with query type "retention"; coverage is measured day by day over the time range.'
      />
    );
  }
  return (
    <div className={styles.wrapper} data-testid="retention-panel">
      {summary.map((c) => (
        <ClassSection key={c.logClass} c={c} styles={styles} />
      ))}
    </div>
  );
}

type Styles = ReturnType<typeof getStyles>;

function ClassSection({ c, styles }: { c: ClassCoverage; styles: Styles }) {
  const status = STATUS[c.status];
  return (
    <section className={styles.row} data-testid="retention-class" data-status={c.status}>
      <div className={styles.head}>
        <span className={styles.name}>{c.logClass}</span>
        <Badge text={status.text} color={status.color} />
        {c.gapDays > 0 && <span className={styles.stat}>{c.gapDays} gap day(s)</span>}
      </div>
      <div className={styles.numbers}>
        <Figure label="Required" value={`${c.requiredDays} d`} styles={styles} />
        {c.configured !== undefined && (
          <Figure label="Configured in Loki" value={c.configured.replace(/d$/, ' d')} styles={styles} />
        )}
        <Figure
          label={c.oldestMs === null ? 'Observed' : `Observed since ${dayLabel(c.oldestMs)}`}
          value={`${c.observedDays} d`}
          styles={styles}
        />
      </div>
      {c.configured !== undefined ? <WeekGrid c={c} styles={styles} /> : <Strip c={c} styles={styles} />}
      <div className={styles.reason}>{c.reason}</div>
    </section>
  );
}

function Figure({ label, value, styles }: { label: string; value: string; styles: Styles }) {
  return (
    <div className={styles.figure} data-testid="retention-figure">
      <span className={styles.figureValue}>{value}</span>
      <span className={styles.stat}>{label}</span>
    </div>
  );
}

function Day({ d, styles }: { d: DayCell; styles: Styles }) {
  if (d.gap && d.href) {
    return (
      <a
        href={d.href}
        role="listitem"
        data-testid="retention-day"
        data-gap={d.gap}
        title={`${dayLabel(d.dayMs)}: ${d.seen} (gap): open the lines around it in Explore`}
        className={cx(styles.day, styles.gap, styles.link)}
      />
    );
  }
  return (
    <span
      role="listitem"
      data-testid="retention-day"
      data-gap={d.gap}
      title={`${dayLabel(d.dayMs)}: ${d.seen}${d.gap ? ' (gap)' : d.partial ? ' (day in progress)' : ''}`}
      className={cx(styles.day, d.gap ? styles.gap : d.covered ? styles.covered : styles.before)}
    />
  );
}

/** One line of days: the line-count frame, a range of days to weeks. */
function Strip({ c, styles }: { c: ClassCoverage; styles: Styles }) {
  return (
    <div className={styles.strip} role="list" aria-label={`Daily coverage of ${c.logClass}`}>
      {c.days.map((d) => (
        <Day key={d.dayMs} d={d} styles={styles} />
      ))}
    </div>
  );
}

/** Weeks per block: a quarter, so a year and more is a few blocks side by side. */
const WEEKS_PER_BLOCK = 13;

/** Weeks as rows, Monday first, in blocks of a quarter side by side: 400 days stay on one screen. */
function WeekGrid({ c, styles }: { c: ClassCoverage; styles: Styles }) {
  const rows = weekRows(c.days);
  const blocks = Array.from({ length: Math.ceil(rows.length / WEEKS_PER_BLOCK) }, (_, i) =>
    rows.slice(i * WEEKS_PER_BLOCK, (i + 1) * WEEKS_PER_BLOCK)
  );
  return (
    <div className={styles.blocks} role="list" aria-label={`Daily coverage of ${c.logClass}, one row per week`}>
      {blocks.map((block) => (
        <div key={block[0].weekMs} className={styles.weeks}>
          <span />
          {WEEKDAYS.map((w) => (
            <span key={w} className={styles.weekday}>
              {w[0]}
            </span>
          ))}
          {block.map((row, i) => (
            <React.Fragment key={row.weekMs}>
              {/* A date every fourth week keeps the column narrow and still findable. */}
              <span className={styles.weekLabel}>{i % 4 === 0 ? dayLabel(row.weekMs) : ''}</span>
              {row.days.map((d, j) =>
                d ? <Day key={d.dayMs} d={d} styles={styles} /> : <span key={`${row.weekMs}-${j}`} />
              )}
            </React.Fragment>
          ))}
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5), overflow: 'auto', height: '100%' }),
  row: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  head: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  stat: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary }),
  strip: css({ display: 'flex', flexWrap: 'wrap', gap: 2 }),
  day: css({ width: 8, height: 10, borderRadius: 1 }),
  covered: css({ background: theme.visualization.getColorByName('green') }),
  gap: css({ background: theme.visualization.getColorByName('red') }),
  before: css({ background: theme.colors.border.medium }),
  reason: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary }),
  link: css({ display: 'block', cursor: 'pointer', '&:hover': { outline: `1px solid ${theme.colors.text.primary}` } }),
  numbers: css({ display: 'flex', gap: theme.spacing(3), flexWrap: 'wrap' }),
  figure: css({ display: 'flex', flexDirection: 'column' }),
  figureValue: css({ fontSize: theme.typography.h4.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  blocks: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2), alignItems: 'flex-start' }),
  weeks: css({ display: 'grid', gridTemplateColumns: 'max-content repeat(7, 10px)', gap: 2, alignItems: 'center' }),
  weekday: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary, fontSize: 9, textAlign: 'center' }),
  weekLabel: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    fontSize: 9,
    paddingRight: theme.spacing(0.5),
  }),
});
