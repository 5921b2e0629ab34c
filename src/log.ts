import type { LookupFailure } from './lookups/lookup-failure.js';
import type { ResponseFlags } from './rules/confirmation.js';

/**
 * The one structured line written per invocation. It names settings, codes and the email's
 * domain, never the email's local part, the phone number, the user name or any
 * validationData/clientMetadata value: logs are read by more people than the user pool is.
 */
export interface InvocationLog {
  readonly level: 'INFO' | 'WARN' | 'ERROR';
  readonly message: string;
  readonly outcome: Outcome;
  readonly code?: string | undefined;
  /** The setting that decided (e.g. ALLOWED_EMAIL_DOMAINS). */
  readonly rule?: string | undefined;
  readonly triggerSource?: string | undefined;
  readonly userPoolId?: string | undefined;
  readonly emailDomain?: string | undefined;
  readonly dryRun?: true | undefined;
  /** The flags set (or, in a dry run, that would have been set). */
  readonly flags?: ResponseFlags | undefined;
  readonly lookupFailures?: readonly LookupFailure[] | undefined;
  readonly configProblems?:
    readonly { readonly variable: string; readonly received: string; readonly expected: string }[] | undefined;
  readonly warnings?: readonly string[] | undefined;
}

export type Outcome =
  'confirmed' | 'unconfirmed' | 'refused' | 'unchanged' | 'would-confirm' | 'would-leave-unconfirmed' | 'would-refuse';

let jsonLogFormat: boolean | undefined;

/**
 * Writes the line through `console`, which Lambda already captures with the request id.
 * Under Lambda's JSON log format the runtime nests an object as the `message` of its own JSON
 * line; under the text format an object would be printed over several lines, so it is
 * written as one line of JSON instead. No logging library is needed for either.
 */
export function writeLog(record: InvocationLog): void {
  jsonLogFormat ??= process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON';
  const line = jsonLogFormat ? record : JSON.stringify(record);
  const level = record.level;
  if (level === 'ERROR') console.error(line);
  else if (level === 'WARN') console.warn(line);
  else console.info(line);
}

/** What every log line of an invocation carries, read once from the event. */
export interface Seen {
  readonly triggerSource: string | undefined;
  readonly userPoolId: string | undefined;
  readonly emailDomain: string | undefined;
  readonly warnings: readonly string[] | undefined;
}

export type Detail = Pick<InvocationLog, 'code' | 'rule' | 'flags' | 'dryRun' | 'lookupFailures' | 'configProblems'>;

// One object literal of a fixed shape: spreading partial records per call cost ~2 µs an invocation.
export function logInvocation(
  seen: Seen,
  level: InvocationLog['level'],
  message: string,
  outcome: Outcome,
  detail: Detail,
): void {
  writeLog({
    level,
    message,
    outcome,
    code: detail.code,
    rule: detail.rule,
    triggerSource: seen.triggerSource,
    userPoolId: seen.userPoolId,
    emailDomain: seen.emailDomain,
    flags: detail.flags,
    dryRun: detail.dryRun,
    lookupFailures: detail.lookupFailures,
    configProblems: detail.configProblems,
    warnings: seen.warnings,
  });
}

export const NO_DETAIL: Detail = {};
