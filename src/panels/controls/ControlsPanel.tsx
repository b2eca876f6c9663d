import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTime, type DataFrame, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { Badge, useStyles2, type BadgeColor } from '@grafana/ui';
import { PanelEmptyState } from '../../components/PanelEmptyState';
import { CONTROL_FIELD, FRAME, isControlStatus, type ControlStatus } from '../../core/frames';
import { fieldOf, findFrame, readFrame, requireField } from '../frames/findFrame';
import type { ControlsPanelOptions } from './types';

interface ControlView {
  id: string;
  criterion: string;
  title: string;
  status: ControlStatus | 'unknown';
  evidence: number | null;
  lastEvidenceMs: number | null;
  detail: string;
}

const STATUS: Record<ControlView['status'], { text: string; color: BadgeColor }> = {
  pass: { text: 'Pass', color: 'green' },
  fail: { text: 'Fail', color: 'red' },
  'no-evidence': { text: 'No evidence', color: 'orange' },
  unknown: { text: 'Unknown', color: 'blue' },
};

/** Rows of the data source's `controls` frame; a status it does not know stays "unknown". */
function readControls(frame: DataFrame): ControlView[] {
  const id = requireField(frame, CONTROL_FIELD.id).values;
  const status = requireField(frame, CONTROL_FIELD.status).values;
  const criterion = fieldOf(frame, CONTROL_FIELD.criterion)?.values;
  const title = fieldOf(frame, CONTROL_FIELD.title)?.values;
  const evidence = fieldOf(frame, CONTROL_FIELD.evidenceCount)?.values;
  const last = fieldOf(frame, CONTROL_FIELD.lastEvidence)?.values;
  const detail = fieldOf(frame, CONTROL_FIELD.detail)?.values;
  return Array.from({ length: frame.length }, (_, i) => ({
    id: String(id[i]),
    criterion: criterion ? String(criterion[i] ?? '') : '',
    title: title ? String(title[i] ?? '') : '',
    status: isControlStatus(status[i]) ? status[i] : 'unknown',
    evidence: typeof evidence?.[i] === 'number' ? evidence[i] : null,
    lastEvidenceMs: typeof last?.[i] === 'number' ? last[i] : null,
    detail: detail ? String(detail[i] ?? '') : '',
  }));
}

/** Renders the `controls` frame: one row per SOC 2 control with status and evidence. */
export function ControlsPanel({ data, options }: PanelProps<ControlsPanelOptions>) {
  const styles = useStyles2(getStyles);
  const frame = findFrame(data.series, FRAME.controls);
  const rows = useMemo(() => (frame ? readFrame(() => readControls(frame)) : undefined), [frame]);

  if (rows instanceof Error) {
    return <PanelEmptyState testId="controls-panel-error" title="Cannot read control evaluations" detail={rows.message} />;
  }
  if (!rows || rows.length === 0) {
    return (
      <PanelEmptyState
        testId="controls-panel-empty"
        title="No control evaluations"
        detail='Use the Mesh Audit data source with query type "controls" over the audit window.'
      />
    );
  }
  const shown = options.showPassing === false ? rows.filter((r) => r.status !== 'pass') : rows;
  const counts = (s: ControlView['status']) => rows.filter((r) => r.status === s).length;
  return (
    <div className={styles.wrapper} data-testid="controls-panel">
      <div className={styles.summary} data-testid="controls-summary">
        {counts('pass')} pass · {counts('fail')} fail · {counts('no-evidence')} without evidence
      </div>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Status</th>
            <th>Criterion</th>
            <th>Control</th>
            <th className={styles.num}>Evidence</th>
            <th>Last evidence</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id} data-testid="control-row" data-status={r.status}>
              <td className={styles.nowrap}>
                <Badge text={STATUS[r.status].text} color={STATUS[r.status].color} />
              </td>
              <td>{r.criterion}</td>
              <td title={r.id}>{r.title || r.id}</td>
              <td className={styles.num}>{r.evidence === null ? '—' : r.evidence.toLocaleString('en-US')}</td>
              <td className={styles.nowrap}>{r.lastEvidenceMs === null ? '—' : dateTime(r.lastEvidenceMs).format('YYYY-MM-DD HH:mm')}</td>
              <td className={styles.detail}>{r.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ height: '100%', overflow: 'auto' }),
  summary: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary, marginBottom: theme.spacing(1) }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  num: css({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums' }),
  detail: css({ color: theme.colors.text.secondary }),
  nowrap: css({ whiteSpace: 'nowrap' }),
});
