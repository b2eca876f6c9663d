import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { CONTROL_FIELD as C, FRAME, type ControlStatus } from '../../core/frames';

/** One evaluated control: the row the SOC 2 controls panel draws. */
export interface ControlRow {
  id: string;
  criterion: string;
  title: string;
  status: ControlStatus;
  /** How many log lines / requests the verdict rests on. */
  evidenceCount: number;
  /** The measured value the status compares with the threshold; null when there is none. */
  measured: number | null;
  /** Epoch ms of the newest evidence; null when unknown. */
  lastEvidenceMs: number | null;
  /** Why this status, in words (e.g. "12 plaintext requests in payments"). */
  detail: string;
}

export function controlsFrame(rows: ControlRow[], refId?: string): DataFrame {
  return createDataFrame({
    name: FRAME.controls,
    refId,
    fields: [
      { name: C.id, type: FieldType.string, values: rows.map((r) => r.id), config: { displayName: 'Control' } },
      { name: C.criterion, type: FieldType.string, values: rows.map((r) => r.criterion), config: { displayName: 'Criterion' } },
      { name: C.title, type: FieldType.string, values: rows.map((r) => r.title), config: { displayName: 'Title' } },
      { name: C.status, type: FieldType.string, values: rows.map((r) => r.status), config: { displayName: 'Status' } },
      { name: C.evidenceCount, type: FieldType.number, values: rows.map((r) => r.evidenceCount), config: { displayName: 'Evidence', unit: 'short' } },
      { name: C.measured, type: FieldType.number, values: rows.map((r) => r.measured), config: { displayName: 'Measured' } },
      { name: C.lastEvidence, type: FieldType.time, values: rows.map((r) => r.lastEvidenceMs), config: { displayName: 'Last evidence' } },
      { name: C.detail, type: FieldType.string, values: rows.map((r) => r.detail), config: { displayName: 'Detail' } },
    ],
    meta: { preferredVisualisationType: 'table' },
  });
}
