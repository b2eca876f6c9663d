import React, { useMemo } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Badge, useStyles2, type BadgeColor } from '@grafana/ui';
import { PanelEmptyState } from '../../components/PanelEmptyState';
import { FRAME } from '../../core/frames';
import { findFrame, readFrame } from '../frames/findFrame';
import { dayLabel, summarizeCoverage, type CoverageStatus } from './coverage';
import type { RetentionPanelOptions } from './types';

const STATUS: Record<CoverageStatus, { text: string; color: BadgeColor }> = {
  proven: { text: 'Retention proven', color: 'green' },
  gaps: { text: 'Gaps', color: 'orange' },
  short: { text: 'Too short', color: 'red' },
  unknown: { text: 'Range too short to tell', color: 'blue' },
};

/** Renders the `retention` frame: per log class, required vs observed retention and a day strip. */
export function RetentionPanel({ data, options, timeRange }: PanelProps<RetentionPanelOptions>) {
  const styles = useStyles2(getStyles);
  const frame = findFrame(data.series, FRAME.retention);
  const threshold = options.gapThreshold ?? 0.1;
  const rangeEndMs = timeRange.to.valueOf();
  const summary = useMemo(
    () => (frame ? readFrame(() => summarizeCoverage(frame, threshold, rangeEndMs)) : undefined),
    [frame, threshold, rangeEndMs]
  );

  if (summary instanceof Error) {
    return <PanelEmptyState testId="retention-panel-error" title="Cannot read retention coverage" detail={summary.message} />;
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
        <section key={c.logClass} className={styles.row} data-testid="retention-class" data-status={c.status}>
          <div className={styles.head}>
            <span className={styles.name}>{c.logClass}</span>
            <Badge text={STATUS[c.status].text} color={STATUS[c.status].color} />
            <span className={styles.stat}>required {c.requiredDays} d</span>
            <span className={styles.stat}>observed {c.observedDays} d</span>
            {c.gapDays > 0 && <span className={styles.stat}>{c.gapDays} gap day(s)</span>}
          </div>
          <div className={styles.strip} role="list" aria-label={`Daily coverage of ${c.logClass}`}>
            {c.days.map((d) => (
              <span
                key={d.dayMs}
                role="listitem"
                data-testid="retention-day"
                data-gap={d.gap}
                title={`${dayLabel(d.dayMs)}: ${d.lines} lines${d.gap ? ' (gap)' : d.partial ? ' (day in progress)' : ''}`}
                className={cx(styles.day, d.gap ? styles.gap : d.lines > 0 ? styles.covered : styles.before)}
              />
            ))}
          </div>
          <div className={styles.reason}>{c.reason}</div>
        </section>
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
  day: css({ width: 8, height: 14, borderRadius: 1 }),
  covered: css({ background: theme.visualization.getColorByName('green') }),
  gap: css({ background: theme.visualization.getColorByName('red') }),
  before: css({ background: theme.colors.border.medium }),
  reason: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary }),
});
