import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, RawTimeRange } from '@grafana/data';
import { Alert, ClipboardButton, Stack, TextLink, useStyles2 } from '@grafana/ui';
import type { PlannedExpression } from '../../../core/plan';
import { exploreUrl } from '../../explore';

/** Common proxy limit for a request line (nginx large_client_header_buffers default 8k). */
export const LONG_URL_BYTES = 8 * 1024;

interface Props {
  expressions: PlannedExpression[];
  error?: string;
  lokiUid?: string;
  range: RawTimeRange;
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
});

/** The LogQL the data source sends for this target, read-only, each with an Explore link. */
export function GeneratedLogql({ expressions, error, lokiUid, range }: Props) {
  const styles = useStyles2(getStyles);
  if (error) {
    return (
      <Alert severity="error" title="This query cannot run" data-testid="meshaudit-logql-error">
        {error}
      </Alert>
    );
  }
  const longest = Math.max(0, ...expressions.map((e) => encodeURIComponent(e.expr).length));
  return (
    <div data-testid="meshaudit-logql">
      {longest > LONG_URL_BYTES && (
        <Alert severity="warning" title="Long query" data-testid="meshaudit-logql-long">
          The longest query is {Math.ceil(longest / 1024)} KB as a URL (queries go to Loki as GET). A proxy in front of
          Grafana or Loki may refuse it; pick only the mesh profiles in use in the data source settings.
        </Alert>
      )}
      {expressions.map(({ name, expr, kind }) => (
        <Stack key={name} direction="column" gap={0.5}>
          <Stack direction="row" gap={1} alignItems="center">
            <span className={styles.name}>{name}</span>
            <span>({kind} query)</span>
            {lokiUid && (
              <TextLink href={exploreUrl(lokiUid, expr, range, kind)} external>
                Open in Explore
              </TextLink>
            )}
            <ClipboardButton size="sm" variant="secondary" fill="text" icon="copy" getText={() => expr}>
              Copy
            </ClipboardButton>
          </Stack>
          <pre className={styles.code} data-testid="meshaudit-logql-expr">
            {expr}
          </pre>
        </Stack>
      ))}
    </div>
  );
}
