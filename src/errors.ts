import type { RefusalCode } from './codes.js';

/**
 * Thrown by the handler to refuse a sign-up. Cognito shows the message to the user as
 * `PreSignUp failed with error CODE: text.`, so it carries only the code and a safe text.
 */
export class SignUpRefusedError extends Error {
  readonly code: RefusalCode;

  constructor(code: RefusalCode, text: string) {
    super(`${code}: ${text}`);
    this.name = 'SignUpRefusedError';
    this.code = code;
  }
}

/** One invalid setting: which variable, what it held, what it should hold. */
export interface ConfigIssue {
  readonly variable: string;
  readonly received: string;
  readonly expected: string;
}

/** Every problem found in the settings at once, so one deploy can fix them all. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration: ${issues
        .map((issue) => `${issue.variable}: Expected ${issue.expected} but received ${issue.received}`)
        .join('; ')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

// Only the name: an error's message may quote the email (a ListUsers filter, for one).
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
