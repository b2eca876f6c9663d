import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

interface Props {
  /** Short statement of what is missing, e.g. "No mesh traffic in this time range". */
  title: string;
  /** Why, and what the user can change. */
  detail?: string;
  testId?: string;
}

/** The honest "no data" state every Mesh Audit panel shows instead of an empty canvas. */
export function PanelEmptyState({ title, detail, testId = 'mesh-audit-empty-state' }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.wrapper} data-testid={testId} role="status">
      <Icon name="info-circle" size="xl" className={styles.icon} />
      <div className={styles.title}>{title}</div>
      {detail && <div className={styles.detail}>{detail}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    textAlign: 'center',
  }),
  icon: css({ color: theme.colors.text.secondary }),
  title: css({ ...theme.typography.h5, color: theme.colors.text.primary }),
  detail: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary, maxWidth: 480 }),
});
