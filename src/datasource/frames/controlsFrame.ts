import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';

export type ControlStatus = 'pass' | 'fail' | 'no-evidence';

/** One evaluated control: the row the SOC 2 controls panel draws. */
export interface ControlRow {
  id: string;
  criterion: string;
  title: string;
  status: ControlStatus;
  /** How many log lines / requests the verdict rests on. */
  evidenceCount: number;
  /** Epoch ms of the newest evidence; null when unknown. */
  lastEvidenceMs: number | null;
  /** Why this status, in words (e.g. "12 plaintext requests in payments"). */
  detail: string;
}

export function controlsFrame(rows: ControlRow[], refId?: string): DataFrame {
  return createDataFrame({
    name: 'controls',
    refId,
    fields: [
      { name: 'id', type: FieldType.string, values: rows.map((r) => r.id), config: { displayName: 'Control' } },
      { name: 'criterion', type: FieldType.string, values: rows.map((r) => r.criterion), config: { displayName: 'Criterion' } },
      { name: 'title', type: FieldType.string, values: rows.map((r) => r.title), config: { displayName: 'Title' } },
      { name: 'status', type: FieldType.string, values: rows.map((r) => r.status), config: { displayName: 'Status' } },
      { name: 'evidence_count', type: FieldType.number, values: rows.map((r) => r.evidenceCount), config: { displayName: 'Evidence', unit: 'short' } },
      { name: 'last_evidence', type: FieldType.time, values: rows.map((r) => r.lastEvidenceMs), config: { displayName: 'Last evidence' } },
      { name: 'detail', type: FieldType.string, values: rows.map((r) => r.detail), config: { displayName: 'Detail' } },
    ],
    meta: { preferredVisualisationType: 'table' },
  });
}
