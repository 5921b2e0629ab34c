export { parseSignUpError, type SignUpRefusal } from './parse-sign-up-error.js';
