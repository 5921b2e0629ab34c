export { parseSignUpError, type SignUpRefusal } from './parse-sign-up-error.js';
export { SIGN_UP_REFUSAL_CODES, SIGN_UP_REFUSAL_TEXTS, type SignUpRefusalCode } from './refusal-codes.js';

/**
 * The key an app passes a CAPTCHA token under, in `validationData` (Amplify `signUp` options, SDK
 * `ValidationData`) or `clientMetadata`; the function reads validationData first. See docs/captcha.md.
 */
export const CAPTCHA_TOKEN_FIELD = 'captchaToken';
