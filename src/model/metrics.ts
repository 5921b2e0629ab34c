/**
 * The CloudWatch metrics the log lines carry (Embedded Metric Format), and their dimensions: the
 * one home of their names. The log writer (src/log/invocation-log.ts) emits them; the CDK
 * construct's dashboard and template.yaml's are built from or checked against them.
 */
export const METRIC_NAMES = {
  /** 1 per invocation; by `outcome`, and by `outcome` and `code` when refused. */
  signUps: 'SignUps',
  /** Lookups that failed in the invocation; by `outcome` and `code` as SignUps. */
  lookupFailures: 'LookupFailures',
  /** AWS calls answered with throttling; in total with SignUps, and by `operation` on a line of its own. */
  throttled: 'Throttled',
  /** Refusals of log-only rules (LOG_ONLY_RULES); in total with SignUps, and by `code` on a line of its own. */
  wouldRefuse: 'WouldRefuse',
} as const;

/** Every `outcome` a log line can give: the values of the `outcome` dimension. */
export const OUTCOMES = [
  'confirmed',
  'unconfirmed',
  'refused',
  'unchanged',
  'would-confirm',
  'would-leave-unconfirmed',
  'would-refuse',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** The dimensions: the log line's `outcome` and `code`, and the AWS operation throttled. */
export const METRIC_DIMENSIONS = { outcome: 'outcome', code: 'code', operation: 'operation' } as const;
