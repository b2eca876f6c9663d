export interface RetentionPanelOptions {
  /** Mark a day as a gap when its observed volume is below this share of the median day. */
  gapThreshold: number;
}
