/**
 * What JSON.parse does not say about a document: the keys it silently dropped (a duplicate key
 * keeps only its last value) and, for text it refused, where. Neither ever quotes the text: a
 * rules document may hold a secret, and its problems are logged.
 */

/** A key given twice in one object, and the path of that object (`clients.abc`, or '' for the top). */
interface DuplicateKey {
  readonly path: string;
  readonly key: string;
}

interface Frame {
  readonly path: string;
  readonly keys: Set<string> | undefined;
  expectingKey: boolean;
  lastKey: string;
  index: number;
}

/**
 * Every key that appears more than once in the same object, at any depth, for text JSON.parse
 * accepted. One pass that jumps from quote to quote: a document of 100,000 list entries is mostly
 * strings, which are skipped with indexOf, not read character by character.
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let top: Frame | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const end = endOfString(text, i);
      if (top?.keys !== undefined && top.expectingKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) found.push({ path: top.path, key });
        top.keys.add(key);
        top.lastKey = key;
        top.expectingKey = false;
      }
      i = end;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      const inParent = top === undefined ? '' : top.keys !== undefined ? top.lastKey : String(top.index);
      const path = top === undefined ? '' : top.path === '' ? inParent : `${top.path}.${inParent}`;
      if (top !== undefined) stack.push(top);
      top = { path, keys: code === OPEN_BRACE ? new Set() : undefined, expectingKey: true, lastKey: '', index: 0 };
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      top = stack.pop();
    } else if (code === COMMA && top !== undefined) {
      if (top.keys !== undefined) top.expectingKey = true;
      else top.index++;
    }
  }
  return found;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The index of the quote that closes the string opening at `start` (text JSON.parse accepted). */
function endOfString(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

const WHITE_SPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

/**
 * Where text that JSON.parse refused goes wrong: the offset of the first character that cannot
 * continue a JSON text (the length, when it ends too soon). JSON.parse's own message quotes the
 * text around the error, which is why it is never used. Only run on text JSON.parse refused.
 */
export function syntaxErrorOffset(text: string): number {
  let at = 0;
  const skip = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) return false;
    at = pattern.lastIndex;
    return true;
  };
  const expect = (char: string): void => {
    skip(WHITE_SPACE);
    if (text[at] !== char) throw new SyntaxAt(at);
    at++;
  };
  const value = (): void => {
    skip(WHITE_SPACE);
    const char = text[at];
    if (char === '{') {
      at++;
      skip(WHITE_SPACE);
      if (text[at] === '}') {
        at++;
        return;
      }
      for (;;) {
        skip(WHITE_SPACE);
        if (!skip(STRING)) throw new SyntaxAt(at);
        expect(':');
        value();
        skip(WHITE_SPACE);
        if (text[at] === '}') {
          at++;
          return;
        }
        expect(',');
      }
    }
    if (char === '[') {
      at++;
      skip(WHITE_SPACE);
      if (text[at] === ']') {
        at++;
        return;
      }
      for (;;) {
        value();
        skip(WHITE_SPACE);
        if (text[at] === ']') {
          at++;
          return;
        }
        expect(',');
      }
    }
    if (!skip(STRING) && !skip(NUMBER) && !skip(LITERAL)) throw new SyntaxAt(at);
  };
  try {
    value();
    skip(WHITE_SPACE);
    return at < text.length ? at : -1;
  } catch (error) {
    // A nesting too deep for the stack fails where the scan had got to.
    return error instanceof SyntaxAt ? error.offset : at;
  }
}

class SyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at ${String(offset)}`);
    this.name = 'SyntaxAt';
  }
}
