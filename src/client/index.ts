export {
  parseSignUpError,
  SIGN_UP_REFUSAL_CODES,
  type SignUpRefusal,
  type SignUpRefusalCode,
} from './parse-sign-up-error.js';
