import { patternOnFirstUse } from './pattern-on-first-use.js';
import { decodePunycode } from './punycode.js';

/**
 * The one strict reader of email addresses and domains that every rule and every domain list uses.
 *
 * An email domain is a DNS host name, not a URL host: nothing is percent-decoded, no character is
 * silently dropped, nothing is cut off. A domain is readable only when it is, after IDNA mapping,
 * letter-digit-hyphen labels joined by dots. Anything else is unreadable, and rules that look at
 * domains refuse an unreadable one instead of treating it as "no domain".
 */

/** A readable email address: its local part as given, and its domain in the form every comparison uses. */
interface EmailAddress {
  readonly localPart: string;
  /** ASCII (punycode), lowercase, without a trailing dot: `Bücher.Example.` is `xn--bcher-kva.example`. */
  readonly domain: string;
}

// What no host name holds, checked before any mapping so that nothing is decoded or dropped into a
// valid name: URL syntax (% / ? # \), IP-literal brackets, a second @, white space, control and
// format characters, lone surrogates, and the invisible code points IDNA would silently delete
// (soft hyphen, zero-width joiners, variation selectors…).
const NOT_IN_A_HOST_NAME = patternOnFirstUse(
  String.raw`[%/?#\\[\]@\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]`,
  'u',
);
// Plain ASCII needs no IDNA mapping beyond lowercasing, unless a label claims to be punycode (xn--),
// which IDNA must check.
const PLAIN_ASCII = /^[A-Za-z0-9.-]*$/;
const PUNYCODE_LABEL = /(?:^|\.)xn--/i;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A last label URL parsers read as a number (all digits, or 0x and hex digits) makes the name an IPv4
// address to them; no top-level domain looks like either.
const NUMERIC_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;
const MAX_DOMAIN_LENGTH = 253;
/**
 * The common case, already in its comparable form: lowercase letter-digit-hyphen labels of 1-63
 * characters, not starting or ending with `-`, two or more, the last starting with a letter (so not
 * numeric). Everything it accepts, the full rules below accept unchanged (without `xn--`); it only
 * spares a long list the Unicode checks.
 */
const COMPARABLE_ASCII_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// In the local part: control characters and line breaks, and the invisible format characters
// (bidi overrides such as U+202E, zero-width joiners) that make an address display as another.
// Also the invisible code points that are neither (U+034F, variation selectors, the Hangul fillers,
// the blank Braille pattern) and lone surrogates.
const NOT_IN_A_LOCAL_PART = patternOnFirstUse(
  String.raw`[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u115F\u3164\u2800\u2028\u2029]`,
  'u',
);
// White space is allowed only inside a quoted local part (`"kim lee"@example.com`): anywhere else,
// ` spam@example.com` would be one address to a mail server and another to an exact block list.
const WHITE_SPACE = patternOnFirstUse(String.raw`\p{White_Space}`, 'u');

const ASCII_CAPITAL = /[A-Z]/;
// Space to `~`: a local part needing none of the Unicode checks below.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A domain in its comparable form, or undefined when it is not a host name. The rules, in order:
 * 1. nothing from NOT_IN_A_HOST_NAME above;
 * 2. IDNA mapping (UTS #46, non-transitional), which also turns `。` `．` `｡` into dots;
 * 3. one trailing dot dropped;
 * 4. at least two labels, each 1-63 of `a-z 0-9 -` not starting or ending with `-`, at most 253
 *    characters in all, and the last label neither all digits nor `0x` and hex digits (so no IPv4
 *    address, in any of the spellings URL parsers accept, passes);
 * 5. every `xn--` label valid Punycode for a label IDNA would produce (checked here, because the URL
 *    parser behind `domainToASCII` checks it on some Node.js versions and not on others).
 */
export function readDomain(raw: string): string | undefined {
  if (raw.length <= MAX_DOMAIN_LENGTH && COMPARABLE_ASCII_DOMAIN.test(raw) && !raw.includes('xn--')) return raw;
  if (raw === '' || NOT_IN_A_HOST_NAME.test(raw)) return undefined;
  const mapped = PLAIN_ASCII.test(raw) && !PUNYCODE_LABEL.test(raw) ? asciiLowerCase(raw) : idnaToAscii(raw);
  const domain = mapped.endsWith('.') ? mapped.slice(0, -1) : mapped;
  if (domain.length > MAX_DOMAIN_LENGTH) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || NUMERIC_LABEL.test(labels[labels.length - 1] ?? '')) return undefined;
  return labels.every((label) => LABEL.test(label) && (!label.startsWith('xn--') || isCanonicalPunycode(label)))
    ? domain
    : undefined;
}

/**
 * Whether an `xn--` label is what IDNA would make of some international label: valid Punycode, at
 * least one character that is not ASCII (`xn--example-` would be a second spelling of `example`),
 * and mapped by IDNA back to exactly itself.
 */
function isCanonicalPunycode(label: string): boolean {
  const codePoints = decodePunycode(label.slice(4));
  if (codePoints === undefined || !codePoints.some((code) => code >= 0x80)) return false;
  return idnaToAscii(String.fromCodePoint(...codePoints)) === label;
}

/**
 * An email address, or undefined when it is unreadable: no `@`, an empty local part, a control or
 * invisible format character (a bidi override, a zero-width joiner) in the local part, white space
 * in it outside quotes (at either end, or inside), a comment in it (`(…)` outside quotes), or a
 * domain (the text after the last `@`) that readDomain refuses.
 */
export function readEmailAddress(raw: string): EmailAddress | undefined {
  const at = raw.lastIndexOf('@');
  if (at <= 0) return undefined;
  const localPart = raw.slice(0, at);
  const ascii = PRINTABLE_ASCII.test(localPart);
  // Printable ASCII has none of them; the Unicode check is for the rest.
  if (!ascii && NOT_IN_A_LOCAL_PART.test(localPart)) return undefined;
  if (!isQuoted(localPart)) {
    if (ascii ? localPart.includes(' ') : WHITE_SPACE.test(localPart)) return undefined;
    // An RFC 5322 comment, `spam(note)@example.com`, is the mailbox `spam`: one address, two spellings.
    if (localPart.includes('(') || localPart.includes(')')) return undefined;
  }
  const domain = readDomain(raw.slice(at + 1));
  return domain === undefined ? undefined : { localPart, domain };
}

/**
 * An address as the address lists compare it: the local part with A-Z lowercased, `@`, and the
 * domain as read (IDNA, lowercase). `Kim@Bücher.example` and `kim@xn--bcher-kva.example` are one.
 */
export function emailKeyOf({ localPart, domain }: EmailAddress): string {
  return `${asciiLowerCase(localPart)}@${domain}`;
}

/** A quoted local part (`"kim lee"`), the one place an address may hold white space. */
function isQuoted(localPart: string): boolean {
  return localPart.length >= 2 && localPart.startsWith('"') && localPart.endsWith('"');
}

// RFC 5322's dot-atom: what a local part may be without quotes.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

// Gmail ignores dots in the local part, and googlemail.com is the same mailbox as gmail.com.
const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

/**
 * An address key (see emailKeyOf) in the form BLOCKED_EMAILS compares: the sub-address tag (`+…`)
 * dropped, and for gmail.com and googlemail.com the dots dropped and the domain read as gmail.com.
 * `Spam+x@example.com` and `s.p.a.m@googlemail.com` are blocked by `spam@example.com` and
 * `spam@gmail.com`. A quoted local part is compared as it is.
 */
export function blockKeyOf(key: string): string {
  const at = key.lastIndexOf('@');
  let localPart = key.slice(0, at);
  let domain = key.slice(at + 1);
  if (localPart.startsWith('"')) {
    // `"spam"@example.com` is the mailbox `spam`: a quoted dot-atom is compared unquoted. Any other
    // quoted local part is compared as it is.
    const inner = localPart.slice(1, -1);
    if (!DOT_ATOM.test(inner)) return key;
    localPart = inner;
  }
  const plus = localPart.indexOf('+');
  if (plus > 0) localPart = localPart.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    localPart = localPart.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${localPart}@${domain}`;
}

/**
 * Lowercases A-Z only. `toLowerCase()` also folds look-alikes such as U+212A (the Kelvin sign) into
 * `k`, which would let `\u212Aim@example.com` use an invitation made for `kim@example.com`.
 */
export function asciiLowerCase(text: string): string {
  // Most text has no capital, and is returned as it is.
  return ASCII_CAPITAL.test(text) ? text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : text;
}

/**
 * Node's IDNA mapping, loaded only when a domain needs it: a top-level `node:url` import would cost
 * every cold start. `domainToASCII` is a URL-host parser, which is why it runs only
 * behind the strict checks of readDomain; its empty answer means IDNA refused the name.
 */
function idnaToAscii(raw: string): string {
  idna ??= process.getBuiltinModule('node:url').domainToASCII;
  return idna(raw);
}

let idna: ((domain: string) => string) | undefined;
