import type { LoadedConfig } from '../config/load-config.js';
import type { FinalDecision, ResponseFlags } from '../decide/decision.js';
import type { CaptchaLog } from '../decide/rules/captcha.js';
import type { FederatedLinkLog } from '../decide/rules/federated-link.js';
import type { LookupFailure } from '../model/lookup-failure.js';
import type { InvocationLog, Outcome } from '../log/invocation-log.js';
import type { EventReading } from '../read/sign-up-event.js';
import { type RefusalCode, refusalTextWith } from '../model/refusal-codes.js';

/** What the handler does with the event, and the one log line that says so. Only the handler acts on it. */
export type ResponsePlan =
  | { readonly action: 'refuse'; readonly code: RefusalCode; readonly text: string; readonly log: InvocationLog }
  | { readonly action: 'set-flags'; readonly flags: ResponseFlags; readonly log: InvocationLog }
  | { readonly action: 'return-unchanged'; readonly log: InvocationLog };

/** A decision, with what its lookups ran into. */
export interface Decided {
  readonly decision: FinalDecision;
  readonly failures: readonly LookupFailure[];
  readonly warnings: readonly string[];
  /** LINK_FEDERATED_USERS: what became of the link, when it applied. */
  readonly federatedLink?: FederatedLinkLog | undefined;
  /** CAPTCHA: the provider's verdict, when a token was checked. */
  readonly captcha?: CaptchaLog | undefined;
  /** RATE_LIMITS: the limit the sign-up went over (`email-domain:20/h`), when one did. */
  readonly rateLimit?: string | undefined;
  /** AWS calls answered with throttling (a quota), by operation, when any was. */
  readonly throttled?: Readonly<Record<string, number>> | undefined;
}

/**
 * Plans the response to one invocation from what was read, the settings, and the decision (made
 * only for a readable sign-up under valid settings). Pure: it neither touches the event nor writes.
 *
 * @param warnings - configuration warnings still to be logged this cold start
 */
export function planResponse(
  reading: EventReading,
  loaded: LoadedConfig,
  decided: Decided | undefined,
  warnings: readonly string[],
): ResponsePlan {
  const { config, issues } = loaded;
  if (reading.kind !== 'sign-up' || issues.length > 0 || decided === undefined) {
    return planWithoutDecision(reading, loaded, warnings);
  }
  const { decision } = decided;
  const allWarnings = decided.warnings.length > 0 ? [...warnings, ...decided.warnings] : warnings;
  const level = levelOf(decided.failures, allWarnings);
  const detail: Detail = {
    code: decision.outcome === 'refused' ? decision.code : undefined,
    rule: decision.rule,
    flags: decision.outcome === 'accepted' ? decision.flags : undefined,
    wouldRefuse: decision.wouldRefuse,
    dryRun: config.dryRun ? true : undefined,
    lookupFailures: decided.failures.length > 0 ? decided.failures : undefined,
    federatedLink: decided.federatedLink,
    captcha: decided.captcha,
    rateLimit: decided.rateLimit,
    throttled: decided.throttled,
  };
  const log = lineFor(reading, allWarnings);
  const outcome = outcomeOf(decision, config.dryRun);
  if (config.dryRun) return unchanged(log(level, 'Dry run: nothing was changed', outcome, detail));
  switch (decision.outcome) {
    case 'refused':
      return refuse(decision.code, loaded, log(level, 'Sign-up refused', outcome, detail), decision.suggestion);
    case 'unchanged':
      return unchanged(
        log(level, 'AdminCreateUser: Cognito ignores the response flags, so none were set', outcome, detail),
      );
    case 'accepted':
      return { action: 'set-flags', flags: decision.flags, log: log(level, 'Sign-up accepted', outcome, detail) };
  }
}

/** The plan when no decision could be made: an event that cannot be read, another trigger, bad settings. */
function planWithoutDecision(reading: EventReading, loaded: LoadedConfig, warnings: readonly string[]): ResponsePlan {
  const line = lineFor(reading, warnings);
  const { config, issues } = loaded;
  if (reading.kind === 'not-an-object') {
    return refuse(
      'EVENT_INVALID',
      loaded,
      line('ERROR', 'The event is not a JSON object', 'refused', { code: 'EVENT_INVALID' }),
    );
  }
  if (reading.kind === 'unreadable') {
    // The thrown message is not logged: it could hold anything, the email included.
    const message = `Reading the event threw ${reading.error}`;
    return refuse('SERVICE_UNAVAILABLE', loaded, line('ERROR', message, 'refused', { code: 'SERVICE_UNAVAILABLE' }));
  }
  if (reading.kind === 'wrong-trigger') {
    const message = 'Not a pre sign-up event (attached to the wrong trigger?): returned unchanged';
    return unchanged(line('WARN', message, 'unchanged', {}));
  }
  if (issues.length > 0) {
    if (config.dryRun) {
      const message = 'Invalid configuration; dry run, so nobody is refused';
      return unchanged(line('ERROR', message, 'unchanged', { dryRun: true, configProblems: issues }));
    }
    const message = 'Invalid configuration: every sign-up is refused';
    return refuse(
      'CONFIG_INVALID',
      loaded,
      line('ERROR', message, 'refused', { code: 'CONFIG_INVALID', configProblems: issues }),
    );
  }
  // A readable sign-up under valid settings always comes with a decision; without one, refuse.
  return planUnexpectedFailure(reading, loaded, warnings, 'NoDecision');
}

/**
 * The plan when something unexpected failed (a bug, or the event's `response` could not be
 * written): refuse with SERVICE_UNAVAILABLE, and log only the error's name.
 */
export function planUnexpectedFailure(
  reading: EventReading,
  loaded: LoadedConfig,
  warnings: readonly string[],
  error: string,
): ResponsePlan {
  const message = `Unexpected ${error}: refused as SERVICE_UNAVAILABLE`;
  return refuse(
    'SERVICE_UNAVAILABLE',
    loaded,
    lineFor(reading, warnings)('ERROR', message, 'refused', { code: 'SERVICE_UNAVAILABLE' }),
  );
}

/** The log's outcome, derived from the decision in this one place. */
export function outcomeOf(decision: FinalDecision, dryRun: boolean): Outcome {
  switch (decision.outcome) {
    case 'refused':
      return dryRun ? 'would-refuse' : 'refused';
    case 'unchanged':
      return 'unchanged';
    case 'accepted':
      if (dryRun) return decision.flags.autoConfirmUser ? 'would-confirm' : 'would-leave-unconfirmed';
      return decision.flags.autoConfirmUser ? 'confirmed' : 'unconfirmed';
  }
}

/**
 * A permanent lookup failure needs someone to fix a setting or a permission: ERROR, so it alarms.
 * A transient one, or a warning, is worth a look: WARN.
 */
function levelOf(failures: readonly LookupFailure[], warnings: readonly string[]): InvocationLog['level'] {
  if (failures.some((failure) => failure.kind === 'permanent-failure')) return 'ERROR';
  return failures.length > 0 || warnings.length > 0 ? 'WARN' : 'INFO';
}

type Detail = Partial<
  Pick<
    InvocationLog,
    | 'code'
    | 'rule'
    | 'flags'
    | 'wouldRefuse'
    | 'dryRun'
    | 'lookupFailures'
    | 'federatedLink'
    | 'captcha'
    | 'rateLimit'
    | 'throttled'
    | 'configProblems'
  >
>;

/**
 * A maker of log lines carrying what every line of this invocation carries. Each line is one
 * object literal of a fixed shape: spreading partial records costs measurably more per invocation.
 */
function lineFor(reading: EventReading, warnings: readonly string[]) {
  const emailDomain = reading.kind === 'sign-up' ? reading.input.emailDomain : undefined;
  return (level: InvocationLog['level'], message: string, outcome: Outcome, detail: Detail): InvocationLog => ({
    level,
    message,
    outcome,
    code: detail.code,
    rule: detail.rule,
    triggerSource: reading.labels.triggerSource,
    userPoolId: reading.labels.userPoolId,
    clientId: reading.labels.clientId,
    emailDomain,
    flags: detail.flags,
    wouldRefuse: detail.wouldRefuse,
    dryRun: detail.dryRun,
    lookupFailures: detail.lookupFailures,
    federatedLink: detail.federatedLink,
    captcha: detail.captcha,
    rateLimit: detail.rateLimit,
    throttled: detail.throttled,
    configProblems: detail.configProblems,
    warnings: warnings.length > 0 ? warnings : undefined,
  });
}

function refuse(code: RefusalCode, loaded: LoadedConfig, log: InvocationLog, suggestion?: string): ResponsePlan {
  return { action: 'refuse', code, text: refusalTextWith(loaded.config.texts[code], suggestion), log };
}

function unchanged(log: InvocationLog): ResponsePlan {
  return { action: 'return-unchanged', log };
}
