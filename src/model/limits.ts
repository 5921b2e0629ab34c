/**
 * Numbers that the function, the tools and the tests must agree on, each with the reason it is
 * what it is.
 */

/** Cognito waits this long for the trigger, then retries (up to 3 times) or fails the sign-up. */
export const COGNITO_TIMEOUT_MS = 5000;

/** Lookups stop this long before the function's own timeout, so a refusal still reaches Cognito. */
export const LOOKUP_SAFETY_MARGIN_MS = 500;

/** No invocation's lookups take longer than this, whatever time is left: half of Cognito's wait. */
export const LOOKUP_CAP_MS = 2500;

/** HMAC-SHA256 wants a key of at least its output size: 32 bytes. */
export const MIN_INVITE_SECRET_LENGTH = 32;

/** Cognito user names are at most 128 characters; a larger minimum would refuse everyone. */
export const MAX_USERNAME_LENGTH = 128;

// SSM's largest parameter (the advanced tier). A larger document belongs in RULES_FILE.
export const MAX_PARAMETER_CHARACTERS = 8192;

/**
 * EMAIL_DELIVERABILITY's share of the lookup budget: a DNS server that has not answered by then is
 * taken as no answer (the sign-up is admitted). Two fifths of LOOKUP_CAP_MS, so that the lookups
 * that wait for it (an invitation use, a count) keep the rest.
 */
export const MAIL_DOMAIN_LOOKUP_MS = 1000;
