/** A value or query part that cannot be rendered as valid, structure-preserving LogQL. */
export class LogqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogqlError';
  }
}
