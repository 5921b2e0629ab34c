/**
 * The parsing rule, as one regular expression that Kotlin/Java, Swift (NSRegularExpression), Dart,
 * Python and JavaScript all read the same way: no flags, no lookbehind, no named groups.
 * docs/client-errors.md quotes it, and test/client-docs.test.ts checks the quote against this.
 *
 * Cognito writes a refusal as `PreSignUp failed with error CODE: text.`; SDKs then append to it.
 * Group 1 is the code; group 2 the text, without spaces around it and without the final period(s)
 * Cognito adds (a text that already ends with one gets `..`). The text ends at the first period
 * followed by the end of the text or line, by the Java SDKs' ` (Service: …)`, or by a closing
 * bracket (`)`, `]`, `}`) of a wrapper's toString(). The text must end with a character that is
 * neither a period nor a space, so each run of periods is tried once: no slow backtracking.
 */
export const REFUSAL_PATTERN =
  /PreSignUp failed with error ([A-Z][A-Z0-9_]*):\s*((?:.*?[^.\s])?)\s*\.+(?=\s*(?:$|\n|\(Service: |[)\]}]))/;

/**
 * Where EMAIL_DOMAIN_TYPO's text names the domain the user probably meant: after a literal `...@`
 * (the function writes `...@gmail.com` where the text, or its DENY_MESSAGE_EMAIL_DOMAIN_TYPO
 * override, says `{suggestion}`). Group 1 is the domain: letter-digit-hyphen labels joined by dots,
 * so a sentence's own period or question mark after it is not part of it. docs/client-errors.md
 * quotes it.
 */
export const SUGGESTION_PATTERN =
  /\.\.\.@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/;
