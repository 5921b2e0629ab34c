/**
 * The refusal codes and their default English texts, as the client sees them.
 *
 * The table is the function's own (src/model/refusal-codes.ts), written once: the client's build
 * (`buildClient` in esbuild.config.mjs) bundles it into dist/client/index.js, which therefore still
 * imports nothing at run time. The model imports nothing either, so the client takes no more of the
 * function than these texts.
 */
import { isRefusalCode, REFUSAL_TEXTS } from '../model/refusal-codes.js';

/**
 * The default English text of every code: what the function sends when no `DENY_MESSAGE_<CODE>`
 * override is set, without Cognito's final period. An app that shows its own words can start from
 * this table (`{ ...SIGN_UP_REFUSAL_TEXTS, EMAIL_BLOCKED: '…' }`).
 */
export const SIGN_UP_REFUSAL_TEXTS: typeof REFUSAL_TEXTS = REFUSAL_TEXTS;

/** A refusal code, e.g. `EMAIL_DOMAIN_NOT_ALLOWED`: switch on it exhaustively. */
export type SignUpRefusalCode = keyof typeof SIGN_UP_REFUSAL_TEXTS;

/**
 * Every code the trigger refuses with. The list is stable: codes are added in minor versions and
 * never renamed.
 */
export const SIGN_UP_REFUSAL_CODES = Object.keys(SIGN_UP_REFUSAL_TEXTS) as readonly SignUpRefusalCode[];

/** Whether a text is one of the codes (not merely a key every object has, such as `toString`). */
export const isSignUpRefusalCode: (value: string) => value is SignUpRefusalCode = isRefusalCode;
