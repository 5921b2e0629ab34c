import { CAPTCHA_SETTINGS } from '../../config/captcha-settings.js';
import type { Config } from '../../config/load-config.js';
import { type CaptchaFailure, type Facts, isFailure } from '../../model/facts.js';
import type { RefusalCode } from '../../model/refusal-codes.js';
import { type RefusalRule, type RuleContext, type RuleVerdict, refuse } from './rule.js';

/**
 * `CAPTCHA`: a self sign-up must carry a token (`captchaToken` in validationData or clientMetadata)
 * that the provider accepts, with the hostname, action and minimum score configured. Only
 * `PreSignUp_SignUp` is judged: an administrator's AdminCreateUser and a federated first sign-in
 * cannot carry a token (use AWS WAF's CAPTCHA action for managed login). A check that could not run
 * refuses with SERVICE_UNAVAILABLE whatever FAIL_OPEN says: a check that did not run is not a pass.
 */
function checkCaptcha({ input, config, facts }: RuleContext): RuleVerdict {
  if (config.captcha === undefined || input.source !== 'PreSignUp_SignUp') return undefined;
  if (input.captchaToken === undefined) return refuse('CAPTCHA_REQUIRED', 'CAPTCHA');
  const outcome = facts.captcha;
  if (outcome === undefined) return { outcome: 'needs-facts', facts: ['captcha'] };
  if (isFailure(outcome)) return refuse('SERVICE_UNAVAILABLE', 'CAPTCHA');
  return outcome.passed ? undefined : refuse(CAPTCHA_REFUSALS[outcome.reason], 'CAPTCHA');
}

/** What each of the provider's reasons refuses with: every reason has one (the type says so). */
const CAPTCHA_REFUSALS: { readonly [Reason in CaptchaFailure]: RefusalCode } = {
  refused: 'CAPTCHA_FAILED',
  'low-score': 'CAPTCHA_FAILED',
  'wrong-hostname': 'CAPTCHA_FAILED',
  'wrong-action': 'CAPTCHA_FAILED',
};

/** What the log says of the CAPTCHA check: the provider's verdict, never the token or the secret. */
export interface CaptchaLog {
  readonly provider: string;
  readonly outcome: 'passed' | 'replayed' | CaptchaFailure;
  readonly errorCodes?: readonly string[] | undefined;
  readonly score?: number | undefined;
  readonly hostname?: string | undefined;
}

/** The log's account of the CAPTCHA check, when one was made. */
export function captchaLogOf(config: Config, facts: Facts): CaptchaLog | undefined {
  const outcome = facts.captcha;
  if (config.captcha === undefined || outcome === undefined || isFailure(outcome)) return undefined;
  return {
    provider: config.captcha.provider,
    outcome: outcome.passed ? (outcome.replayed === true ? 'replayed' : 'passed') : outcome.reason,
    errorCodes:
      !outcome.passed && outcome.errorCodes !== undefined && outcome.errorCodes.length > 0
        ? outcome.errorCodes
        : undefined,
    score: outcome.score,
    hostname: outcome.hostname,
  };
}

export const captchaRule = {
  name: 'CAPTCHA',
  settings: CAPTCHA_SETTINGS,
  isOn: (config) => config.captcha !== undefined,
  judges: { source: true, captchaToken: true },
  facts: ['captcha'],
  check: checkCaptcha,
} as const satisfies RefusalRule;
