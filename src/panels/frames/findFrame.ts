import type { DataFrame, Field } from '@grafana/data';
import type { FrameName } from '../../core/frames';

/** The frame of that name among a query's results; Mesh Audit names every frame it returns. */
export function findFrame(series: DataFrame[], name: FrameName): DataFrame | undefined {
  return series.find((frame) => frame.name === name);
}

/** A frame that lacks what a panel cannot do without: the panel says what, instead of drawing nothing. */
export class FrameShapeError extends Error {}

export function fieldOf(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

export function requireField(frame: DataFrame, name: string): Field {
  const found = fieldOf(frame, name);
  if (!found) {
    throw new FrameShapeError(`The "${frame.name ?? 'unnamed'}" frame has no "${name}" field.`);
  }
  return found;
}

/** What `read` makes of a frame, or the shape error a panel shows; any other error is a bug and propagates. */
export function readFrame<T>(read: () => T): T | FrameShapeError {
  try {
    return read();
  } catch (error) {
    if (error instanceof FrameShapeError) {
      return error;
    }
    throw error;
  }
}
