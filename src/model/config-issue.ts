/**
 * What sort of problem an issue is, for code that must tell them apart (never by their text):
 * - `document`: the rules document itself (not JSON, a duplicate key, an unknown key, a value of
 *   the wrong JSON type, a bad app client): no environment can settle it;
 * - `entry`: one bad entry of a list;
 * - `value`: a setting's value;
 * - `combination`: settings that are fine alone and wrong together (or given twice).
 */
export type IssueKind = 'document' | 'entry' | 'value' | 'combination';

/** One invalid setting: which variable, what it held, what it should hold. */
export interface ConfigIssue {
  readonly variable: string;
  readonly received: string;
  readonly expected: string;
  readonly kind: IssueKind;
}

/** One issue as a line of text: `VARIABLE: expected …; received …`. */
export function describeIssue({ variable, received, expected }: ConfigIssue): string {
  return `${variable}: expected ${expected}; received ${received}`;
}

// Long values are cut in error logs: the point is to recognise the value, not to copy it.
const MAX_SHOWN_LENGTH = 80;

/**
 * How a received value is shown in a configuration error: quoted, and cut with its length given
 * when long, so that no log line carries a whole value (`"abc…" (1048576 characters)`).
 */
export function describeReceived(value: string): string {
  if (value.length <= MAX_SHOWN_LENGTH) return JSON.stringify(value);
  return `${JSON.stringify(`${value.slice(0, MAX_SHOWN_LENGTH)}…`)} (${String(value.length)} characters)`;
}

/**
 * How a secret's setting's value is shown in a configuration error: never the value, only what is
 * wrong with its shape, which is enough to spot a secret pasted where a parameter name belongs.
 */
export function describeSecretValue(value: string, isParameterName: boolean): string {
  const traits = [
    /\s/.test(value) ? 'white space' : undefined,
    isParameterName && !value.startsWith('/') && !value.startsWith('arn:') ? 'no leading "/" or "arn:"' : undefined,
  ].filter((trait) => trait !== undefined);
  return `a value of ${String(value.length)} characters, not shown${traits.length === 0 ? '' : ` (${traits.join(', ')})`}`;
}

/** A name from a document (a key, an app client id) as an issue's variable shows it: cut when long. */
export function nameForLog(name: string): string {
  return name.length <= MAX_SHOWN_LENGTH
    ? name
    : `${name.slice(0, MAX_SHOWN_LENGTH)}… (${String(name.length)} characters)`;
}
