import type { RefusalCode } from '../model/refusal-codes.js';

/**
 * Thrown by the handler to refuse a sign-up. Cognito shows the message to the user as
 * `PreSignUp failed with error CODE: text.`, so it carries only the code and a safe text.
 */
export class SignUpRefusedError extends Error {
  readonly code: RefusalCode;

  constructor(code: RefusalCode, text: string) {
    // A refusal is an answer, not a fault: no stack is captured (it costs time) or logged. The
    // runtime's own ERROR line for it ("Invoke Error" / errorType) is then one short line.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${code}: ${text}`);
    Error.stackTraceLimit = limit;
    this.name = 'SignUpRefusedError';
    this.code = code;
    Object.defineProperty(this, 'stack', { value: undefined, writable: true, configurable: true });
  }
}

// The runtime names an error by its constructor, and minifying would shorten that name to a letter.
Object.defineProperty(SignUpRefusedError, 'name', { value: 'SignUpRefusedError' });
