export { parseSignUpError, type SignUpRefusal } from './parse-sign-up-error.js';
export { SIGN_UP_REFUSAL_CODES, SIGN_UP_REFUSAL_TEXTS, type SignUpRefusalCode } from './refusal-codes.js';
