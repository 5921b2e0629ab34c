import type { ConfigIssue } from '../model/config-issue.js';
import type { DecidingRule, ResponseFlags } from '../decide/decision.js';
import type { CaptchaLog } from '../decide/rules/captcha.js';
import type { FederatedLinkLog } from '../decide/rules/federated-link.js';
import type { LookupFailure } from '../model/lookup-failure.js';
import type { RefusalCode } from '../model/refusal-codes.js';
import { isoTimestamp } from './iso-timestamp.js';
import { METRIC_DIMENSIONS, METRIC_NAMES, type Outcome } from '../model/metrics.js';

/**
 * What the one line written per invocation says about the sign-up. It names settings, codes and the
 * email's domain, never the email's local part, the phone number, the user name or any
 * validationData/clientMetadata value: logs are read by more people than the user pool is.
 */
export interface InvocationLog {
  readonly level: LogLevel;
  readonly message: string;
  readonly outcome: Outcome;
  readonly code: RefusalCode | undefined;
  /** The setting that decided (e.g. ALLOWED_EMAIL_DOMAINS). */
  readonly rule: DecidingRule | undefined;
  readonly triggerSource: string | undefined;
  readonly userPoolId: string | undefined;
  /** The app client, when the event names one. */
  readonly clientId: string | undefined;
  readonly emailDomain: string | undefined;
  readonly dryRun: true | undefined;
  /** The flags set (or, in a dry run, that would have been set). */
  readonly flags: ResponseFlags | undefined;
  /** LOG_ONLY_RULES: the codes the log-only rules would have refused with, in the rules' order. */
  readonly wouldRefuse: readonly RefusalCode[] | undefined;
  readonly lookupFailures: readonly LookupFailure[] | undefined;
  /** LINK_FEDERATED_USERS: the provider and what became of the link. */
  readonly federatedLink: FederatedLinkLog | undefined;
  /** CAPTCHA: the provider's verdict (error codes, score, hostname), never the token or secret. */
  readonly captcha: CaptchaLog | undefined;
  /** RATE_LIMITS: the limit that fired, never the email, phone or domain counted. */
  readonly rateLimit: string | undefined;
  /** AWS calls answered with throttling (a quota), by operation (`{"AdminGetUser": 2}`), retried or not. */
  readonly throttled: Readonly<Record<string, number>> | undefined;
  readonly configProblems: readonly ConfigIssue[] | undefined;
  readonly warnings: readonly string[] | undefined;
}

type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export type { Outcome } from '../model/metrics.js';

/** Writes one invocation's line, for the request that Lambda named. */
export type InvocationLogger = (record: InvocationLog, requestId: string | undefined) => void;

// Lambda's levels, lowest first; AWS_LAMBDA_LOG_LEVEL names the lowest that is written.
const LEVEL_RANKS: Readonly<Record<string, number> & Record<LogLevel, number>> = {
  TRACE: 0,
  DEBUG: 1,
  INFO: 2,
  WARN: 3,
  ERROR: 4,
  FATAL: 5,
};

/**
 * A logger that writes each line as one top-level JSON object, straight to `write` (stdout in
 * Lambda). Lambda wraps what goes through `console` (under the JSON log format our record would
 * become `message.outcome`); it leaves stdout as it is, so the line reads the same under both log
 * formats, Logs Insights sees `outcome` itself, and CloudWatch reads the Embedded Metric Format
 * block in it as metrics, with no API call.
 *
 * A line below AWS_LAMBDA_LOG_LEVEL is not written; its metrics still are, on a line of their own.
 */
export function createInvocationLogger(options: {
  readonly functionName: string | undefined;
  /** AWS_LAMBDA_LOG_LEVEL as Lambda sets it; unset writes every level. */
  readonly logLevel: string | undefined;
  /** Where the metrics go; undefined writes none. */
  readonly metricsNamespace: string | undefined;
  readonly write: (line: string) => void;
  readonly now?: () => number;
}): InvocationLogger {
  const { functionName, metricsNamespace, write } = options;
  const now = options.now ?? Date.now;
  const minimumRank = LEVEL_RANKS[options.logLevel?.toUpperCase() ?? ''] ?? 0;
  // Lines in the same millisecond share one ISO timestamp, made once.
  let stampedAt = Number.NaN;
  let stamp = '';
  return (record, requestId) => {
    const time = now();
    const metrics = metricsNamespace === undefined ? undefined : metricsOf(record, metricsNamespace, time);
    if (LEVEL_RANKS[record.level] < minimumRank) {
      if (metrics !== undefined) {
        const labels = JSON.stringify({ outcome: record.outcome, code: record.code });
        write(`${labels.slice(0, -1)},${metrics.slice(1)}\n`);
      }
      writeMetricsByKey(record, metricsNamespace, time, write);
      return;
    }
    // One object literal of a fixed shape, in reading order; JSON leaves out what is undefined.
    if (time !== stampedAt) {
      stampedAt = time;
      stamp = isoTimestamp(time);
    }
    const line = {
      timestamp: stamp,
      level: record.level,
      requestId,
      function: functionName,
      message: record.message,
      outcome: record.outcome,
      code: record.code,
      rule: record.rule,
      triggerSource: record.triggerSource,
      userPoolId: record.userPoolId,
      clientId: record.clientId,
      emailDomain: record.emailDomain,
      flags: record.flags,
      wouldRefuse: record.wouldRefuse,
      dryRun: record.dryRun,
      lookupFailures: record.lookupFailures,
      federatedLink: record.federatedLink,
      captcha: record.captcha,
      rateLimit: record.rateLimit,
      throttled: record.throttled,
      configProblems: record.configProblems,
      warnings: record.warnings,
    };
    const text = boundedJson(line, metrics?.length ?? 0);
    write(metrics === undefined ? `${text}\n` : `${text.slice(0, -1)},${metrics.slice(1)}\n`);
    writeMetricsByKey(record, metricsNamespace, time, write);
  };
}

/**
 * The most problems or warnings one line lists; the rest are counted (`moreConfigProblems`). A
 * document with 2,500 bad entries must not make a line CloudWatch cuts (256 KB), which would lose
 * the metrics block at its end, and with it the CONFIG_INVALID alarm.
 */
const MAX_LISTED_PROBLEMS = 10;
/** The longest line written, in UTF-8 bytes, metrics included. */
export const MAX_LINE_BYTES = 8192;

type Line = Record<string, unknown> & {
  configProblems?: readonly ConfigIssue[] | undefined;
  warnings?: readonly string[] | undefined;
};

/**
 * The line as JSON, at most MAX_LINE_BYTES with `reserved` more bytes to come: long lists are cut
 * to MAX_LISTED_PROBLEMS and counted, and if the line is still too long (long texts in each), the
 * lists are halved until it fits. Every value in them was already cut where it was read.
 */
function boundedJson(line: Line, reserved: number): string {
  const fits = (text: string) =>
    // Most lines are far below the limit in any encoding: only a long one is measured in bytes.
    text.length * 3 + reserved <= MAX_LINE_BYTES || utf8Length(text) + reserved <= MAX_LINE_BYTES;
  const { configProblems, warnings } = line;
  // The common line, as it is: no copy.
  if ((configProblems?.length ?? 0) <= MAX_LISTED_PROBLEMS && (warnings?.length ?? 0) <= MAX_LISTED_PROBLEMS) {
    const text = JSON.stringify(line);
    if (fits(text)) return text;
  }
  for (let listed = MAX_LISTED_PROBLEMS; ; listed = Math.floor(listed / 2)) {
    const shownProblems = listed === 0 ? undefined : configProblems?.slice(0, listed);
    const shownWarnings = listed === 0 ? undefined : warnings?.slice(0, listed);
    const text = JSON.stringify({
      ...line,
      configProblems: shownProblems,
      moreConfigProblems: more(configProblems, shownProblems),
      warnings: shownWarnings,
      moreWarnings: more(warnings, shownWarnings),
    });
    // With no list left, what remains is the line's own fields, each bounded where it was read.
    if (listed === 0 || fits(text)) return text;
  }
}

function more(all: readonly unknown[] | undefined, shown: readonly unknown[] | undefined): number | undefined {
  const hidden = (all?.length ?? 0) - (shown?.length ?? 0);
  return hidden > 0 ? hidden : undefined;
}

/**
 * The text's length in UTF-8 bytes, counted without node:buffer so that the rule tester's browser
 * playground writes the same lines (a lone surrogate counts 3, as the replacement character).
 */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The Embedded Metric Format members of a line, as JSON: `SignUps` (1 per invocation),
 * `LookupFailures`, `Throttled` (AWS calls answered with throttling, retried or not) and
 * `WouldRefuse` (log-only rules' refusals), counted in total ([]), by outcome, and by outcome and
 * refusal code when there is one. EMF wants every dimension it names to be a member of the same
 * object: `outcome` and `code` are. The directive never changes within a container, so it is made
 * into JSON once. The names come from METRIC_NAMES, which the dashboards are checked against.
 */
function metricsOf(record: InvocationLog, namespace: string, time: number): string {
  directives ??= new Map();
  let directive = directives.get(namespace);
  if (directive === undefined) {
    const { outcome, code } = METRIC_DIMENSIONS;
    const make = (dimensions: readonly (readonly string[])[]) =>
      JSON.stringify([
        {
          Namespace: namespace,
          Dimensions: dimensions,
          Metrics: [
            { Name: METRIC_NAMES.signUps, Unit: 'Count' },
            { Name: METRIC_NAMES.lookupFailures, Unit: 'Count' },
            { Name: METRIC_NAMES.throttled, Unit: 'Count' },
            { Name: METRIC_NAMES.wouldRefuse, Unit: 'Count' },
          ],
        },
      ]);
    directive = { withCode: make([[], [outcome], [outcome, code]]), withoutCode: make([[], [outcome]]) };
    directives.set(namespace, directive);
  }
  const cloudWatchMetrics = record.code === undefined ? directive.withoutCode : directive.withCode;
  const failures = record.lookupFailures?.length ?? 0;
  let throttled = 0;
  for (const count of Object.values(record.throttled ?? {})) throttled += count;
  return `{"_aws":{"Timestamp":${String(time)},"CloudWatchMetrics":${cloudWatchMetrics}},"${METRIC_NAMES.signUps}":1,"${METRIC_NAMES.lookupFailures}":${String(failures)},"${METRIC_NAMES.throttled}":${String(throttled)},"${METRIC_NAMES.wouldRefuse}":${String(record.wouldRefuse?.length ?? 0)}}`;
}

/**
 * The metrics one object cannot hold, as EMF takes one value per dimension: `Throttled` by
 * `operation`, a line for each operation AWS throttled, and `WouldRefuse` by `code`, a line for each
 * code a log-only rule would have refused with. Written only when there is one, so a calm
 * invocation writes one line.
 */
function writeMetricsByKey(
  record: InvocationLog,
  namespace: string | undefined,
  time: number,
  write: (line: string) => void,
): void {
  if (namespace === undefined) return;
  const byKey = (metric: string, dimension: string, counts: Readonly<Record<string, number>>) => {
    const directive = JSON.stringify([
      { Namespace: namespace, Dimensions: [[dimension]], Metrics: [{ Name: metric, Unit: 'Count' }] },
    ]);
    for (const [key, count] of Object.entries(counts)) {
      write(
        `{"_aws":{"Timestamp":${String(time)},"CloudWatchMetrics":${directive}},${JSON.stringify(dimension)}:${JSON.stringify(key)},${JSON.stringify(metric)}:${String(count)}}\n`,
      );
    }
  };
  if (record.throttled !== undefined) byKey(METRIC_NAMES.throttled, METRIC_DIMENSIONS.operation, record.throttled);
  if (record.wouldRefuse !== undefined) {
    const counts: Record<string, number> = {};
    for (const code of record.wouldRefuse) counts[code] = (counts[code] ?? 0) + 1;
    byKey(METRIC_NAMES.wouldRefuse, METRIC_DIMENSIONS.code, counts);
  }
}

let directives: Map<string, { readonly withCode: string; readonly withoutCode: string }> | undefined;
