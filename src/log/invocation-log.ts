import type { ConfigIssue } from '../config/env-reader.js';
import type { DecidingRule, ResponseFlags } from '../decide/decision.js';
import type { LookupFailure } from '../look-up/lazy/lookup-failure.js';
import type { RefusalCode } from '../respond/refusals.js';

/**
 * The one structured line written per invocation. It names settings, codes and the email's
 * domain, never the email's local part, the phone number, the user name or any
 * validationData/clientMetadata value: logs are read by more people than the user pool is.
 */
export interface InvocationLog {
  readonly level: 'INFO' | 'WARN' | 'ERROR';
  readonly message: string;
  readonly outcome: Outcome;
  readonly code: RefusalCode | undefined;
  /** The setting that decided (e.g. ALLOWED_EMAIL_DOMAINS). */
  readonly rule: DecidingRule | undefined;
  readonly triggerSource: string | undefined;
  readonly userPoolId: string | undefined;
  readonly emailDomain: string | undefined;
  readonly dryRun: true | undefined;
  /** The flags set (or, in a dry run, that would have been set). */
  readonly flags: ResponseFlags | undefined;
  readonly lookupFailures: readonly LookupFailure[] | undefined;
  readonly configProblems: readonly ConfigIssue[] | undefined;
  readonly warnings: readonly string[] | undefined;
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
