/**
 * Retention coverage (issue 12): observed coverage per class and day from Loki's index, the
 * retention Loki is configured to keep resolved as its compactor does, and the verdict per class.
 */
export * from './configured';
export * from './coverage';
export * from './evaluate';
export * from './selector';
export * from './status';
export * from './controls';
