import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NotAuthorizedException, UserLambdaValidationException } from '@aws-sdk/client-cognito-identity-provider';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SIGN_UP_REFUSAL_CODES, SIGN_UP_REFUSAL_TEXTS, type SignUpRefusal } from '../src/client/index.js';
import { REFUSAL_PATTERN, SUGGESTION_PATTERN } from '../src/client/refusal-pattern.js';
import { NOT_REFUSALS, REFUSALS, type CorpusEntry } from './fixtures/client-error-corpus.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAGE = readFileSync(path.join(ROOT, 'docs/client-errors.md'), 'utf8');

/** The one expression the page gives, in its ```regex block. */
function documentedExpression(): string {
  const blocks = [...PAGE.matchAll(/^```regex\n(.*)\n```$/gm)].map((block) => block[1]);
  expect(blocks).toHaveLength(1);
  return blocks[0] ?? '';
}

/** Step 1 of the page's rule: the texts an app on some platform gathers from what it holds. */
function documentedTexts(error: unknown, depth = 0): string[] {
  if (error instanceof URL) return documentedTexts(error.searchParams, depth);
  if (error instanceof URLSearchParams) return [error.get('error_description') ?? ''];
  if (typeof error === 'string') {
    // A redirect or query string: its parameter; other text as it is, and decoded as a form value
    // (a description copied from a redirect, or quoted in a log line).
    if (error.includes('error_description=')) {
      return documentedTexts(new URLSearchParams(error.split(/[?#]/).pop()), depth);
    }
    return [error, formDecoded(error)];
  }
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const fields = error as Partial<Record<string, unknown>>;
  const own = [fields.error_description, fields.message, fields.recoverySuggestion].filter(
    (text): text is string => typeof text === 'string',
  );
  return [...own, ...documentedTexts(fields.cause, depth + 1), ...documentedTexts(fields.underlyingError, depth + 1)];
}

function formDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Steps 2 and 3: the first match whose code the app knows. */
function documentedRefusal(
  texts: readonly string[],
  expression: RegExp,
): Omit<SignUpRefusal, 'retrySignIn'> | undefined {
  for (const text of texts) {
    const found = expression.exec(text);
    const [code, message] = [found?.[1], found?.[2]];
    if (code !== undefined && message !== undefined && (SIGN_UP_REFUSAL_CODES as readonly string[]).includes(code)) {
      return { code: code as SignUpRefusal['code'], message };
    }
  }
  return undefined;
}

const withoutRetry = ({ code, message }: SignUpRefusal) => ({ code, message });
const CORPUS: readonly (CorpusEntry & { expected?: SignUpRefusal })[] = [...REFUSALS, ...NOT_REFUSALS];

describe('the rule on docs/client-errors.md', () => {
  it('is the expression the helper runs', () => {
    expect(documentedExpression()).toBe(REFUSAL_PATTERN.source);
    expect(REFUSAL_PATTERN.flags).toBe('');
  });

  it('quotes the suggestion’s expression the helper runs', () => {
    expect(PAGE.replace(/\n/g, ' ')).toContain(`\`${SUGGESTION_PATTERN.source}\`, whose group 1 is the domain`);
    expect(SUGGESTION_PATTERN.flags).toBe('');
  });

  it('appears verbatim in the Kotlin, Swift, Dart and Python snippets', () => {
    const expression = documentedExpression();
    for (const [language, quoted] of [
      ['kotlin', `Regex("""${expression}""")`],
      ['swift', `NSRegularExpression(pattern: #"${expression}"#)`],
      ['dart', `RegExp(r'${expression}')`],
      ['python', `re.compile(r'${expression}')`],
    ] as const) {
      const snippet = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(PAGE)?.[1];
      expect(snippet, language).toContain(quoted);
    }
  });

  it.each(CORPUS.map((entry) => [entry.shape, entry] as const))(
    'reads the corpus as the helper does: %s',
    (_shape, entry) => {
      const expected = entry.expected === undefined ? undefined : withoutRetry(entry.expected);
      expect(documentedRefusal(documentedTexts(entry.error), new RegExp(documentedExpression()))).toEqual(expected);
    },
  );
});

// Kotlin reads the expression with java.util.regex; Python with re. Both run it over the texts an
// app gathers (step 1), and must find what JavaScript finds. Skipped where the runtime is missing.
describe('the expression under other regex engines', () => {
  const texts = CORPUS.flatMap((entry) => documentedTexts(entry.error));
  const expression = documentedExpression();
  const inJavaScript = texts.map((text) => {
    const found = new RegExp(expression).exec(text);
    return found === null ? null : [found[1], found[2]];
  });
  const scratch = mkdtempSync(path.join(tmpdir(), 'client-docs-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const input = path.join(scratch, 'texts.txt');
  writeFileSync(input, texts.map((text) => Buffer.from(text).toString('base64')).join('\n'));
  const decodeLines = (output: string) =>
    output
      .trimEnd()
      .split('\n')
      .map((line) => (line === '-' ? null : line.split(' ').map((part) => Buffer.from(part, 'base64').toString())));

  it.runIf(hasCommand('python3'))('python re finds the same code and text', () => {
    const script = [
      'import base64, re, sys',
      `pattern = re.compile(r'${expression}')`,
      'for line in open(sys.argv[1]).read().split("\\n"):',
      '    m = pattern.search(base64.b64decode(line).decode())',
      '    print(" ".join(base64.b64encode(g.encode()).decode() for g in m.groups()) if m else "-")',
    ].join('\n');
    expect(decodeLines(execFileSync('python3', ['-c', script, input], { encoding: 'utf8' }))).toEqual(inJavaScript);
  });

  it.runIf(hasCommand('java'))(
    'java.util.regex (Kotlin) finds the same code and text',
    () => {
      const source = path.join(scratch, 'Refusal.java');
      writeFileSync(
        source,
        `import java.nio.file.*; import java.util.*; import java.util.regex.*;
public class Refusal {
  public static void main(String[] args) throws Exception {
    Pattern pattern = Pattern.compile(new String(Base64.getDecoder().decode("${Buffer.from(expression).toString('base64')}"), "UTF-8"));
    Base64.Encoder enc = Base64.getEncoder();
    for (String line : new String(Files.readAllBytes(Paths.get(args[0])), "UTF-8").split("\\n", -1)) {
      Matcher m = pattern.matcher(new String(Base64.getDecoder().decode(line), "UTF-8"));
      System.out.println(m.find() ? enc.encodeToString(m.group(1).getBytes("UTF-8")) + " " + enc.encodeToString(m.group(2).getBytes("UTF-8")) : "-");
    }
  }
}
`,
      );
      expect(decodeLines(execFileSync('java', [source, input], { encoding: 'utf8' }))).toEqual(inJavaScript);
    },
    60_000,
  );
});

describe('the examples on docs/client-errors.md', () => {
  it('gives the app a text for every code, starting from the defaults', async () => {
    const { signUpTexts } = await loadExample<{ signUpTexts: Record<string, string> }>('sign-up-texts.ts');
    expect(Object.keys(signUpTexts).sort()).toEqual([...SIGN_UP_REFUSAL_CODES].sort());
    expect(signUpTexts.ACCOUNT_EXISTS).toBe(SIGN_UP_REFUSAL_TEXTS.ACCOUNT_EXISTS);
    expect(signUpTexts.EMAIL_DOMAIN_NOT_ALLOWED).not.toBe(SIGN_UP_REFUSAL_TEXTS.EMAIL_DOMAIN_NOT_ALLOWED);
  });

  it('Authenticator: handleSignUp throws the app’s text for a refusal, and any other error as it was', async () => {
    const signUp = vi.fn();
    const { services } = await loadExample<{ services: { handleSignUp: (input: unknown) => Promise<unknown> } }>(
      'authenticator.ts',
      { signUp },
    );
    const { signUpTexts } = await loadExample<{ signUpTexts: Record<string, string> }>('sign-up-texts.ts');

    signUp.mockRejectedValueOnce(
      new UserLambdaValidationException({
        message: 'PreSignUp failed with error EMAIL_DOMAIN_NOT_ALLOWED: Sign-up is limited to approved email domains.',
        $metadata: {},
      }),
    );
    await expect(services.handleSignUp({ username: 'a' })).rejects.toThrow(signUpTexts.EMAIL_DOMAIN_NOT_ALLOWED);

    const wrongPassword = new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} });
    signUp.mockRejectedValueOnce(wrongPassword);
    await expect(services.handleSignUp({ username: 'a' })).rejects.toBe(wrongPassword);

    signUp.mockResolvedValueOnce({ isSignUpComplete: true });
    await expect(services.handleSignUp({ username: 'a' })).resolves.toEqual({ isSignUpComplete: true });
    expect(signUp).toHaveBeenCalledWith({ username: 'a' });
  });

  it('Hosted UI callback: shows the text, and signs in again once for ACCOUNT_LINKED', async () => {
    type Callback = (url: string, storage: ExampleStorage, signInAgain: () => void) => string | undefined;
    const { signUpRefusalText } = await loadExample<{ signUpRefusalText: Callback }>('hosted-ui-callback.ts');
    const { signUpTexts } = await loadExample<{ signUpTexts: Record<string, string> }>('sign-up-texts.ts');
    const storage = memoryStorage();
    const signInAgain = vi.fn();
    const linked =
      'https://app.example/callback?error_description=PreSignUp+failed+with+error+ACCOUNT_LINKED%3A+Your+accounts+are+now+linked.+Please+sign+in+again.+&state=x&error=invalid_request';

    expect(signUpRefusalText(linked, storage, signInAgain)).toBeUndefined();
    expect(signInAgain).toHaveBeenCalledTimes(1);
    expect(signUpRefusalText(linked, storage, signInAgain)).toBe(signUpTexts.ACCOUNT_LINKED);
    expect(signInAgain).toHaveBeenCalledTimes(1);

    for (const entry of REFUSALS.filter(
      (refusal) => typeof refusal.error === 'string' && /[?#]error_description=/.test(refusal.error),
    )) {
      const url = new URL(entry.error as string, 'https://app.example/callback').href;
      expect(signUpRefusalText(url, storage, signInAgain)).toBe(signUpTexts[entry.expected.code]);
    }
    expect(signUpRefusalText('https://app.example/callback?code=abc&state=x', storage, signInAgain)).toBeUndefined();
    expect(storage.getItem('sign-up-retried-after-link')).toBeNull();
    expect(signUpRefusalText(linked, storage, signInAgain)).toBeUndefined();
    expect(signInAgain).toHaveBeenCalledTimes(2);
  });
});

// `./sign-up-texts.js` in an example is the block tested as `sign-up-texts.ts`.
function siblingName(specifier: string): string {
  return specifier.replace(/^\.\//, '').replace(/\.js$/, '.ts');
}

function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The part of the DOM's Storage (sessionStorage) the Hosted UI example uses. */
interface ExampleStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function memoryStorage(): ExampleStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * Builds the ```ts block that follows `<!-- tested: NAME -->` on the page, as an app would: the
 * package's client is this repository's src/client, a sibling example is imported by its name, and
 * `aws-amplify/auth` is the given stand-in.
 */
async function loadExample<T>(name: string, amplifyAuth: Record<string, unknown> = {}): Promise<T> {
  const examples = new Map(
    [...PAGE.matchAll(/<!-- tested: (\S+) -->\n\n```ts\n([\s\S]*?)```/g)].map((match) => [match[1], match[2]]),
  );
  const contents = examples.get(name);
  expect(contents, name).toBeDefined();
  const key = `__example_${Math.random().toString(36).slice(2)}`;
  (globalThis as Record<string, unknown>)[key] = amplifyAuth;
  const built = await esbuild.build({
    stdin: { contents: contents ?? '', loader: 'ts', resolveDir: ROOT, sourcefile: name },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [
      {
        name: 'example-imports',
        setup(build) {
          build.onResolve({ filter: /^cognito-pre-signup-trigger\/client$/ }, () => ({
            path: path.join(ROOT, 'src/client/index.ts'),
          }));
          build.onResolve({ filter: /^aws-amplify\/auth$/ }, (args) => ({ path: args.path, namespace: 'example' }));
          build.onResolve({ filter: /^\.\/.+\.js$/ }, (args) =>
            examples.has(siblingName(args.path)) ? { path: siblingName(args.path), namespace: 'example' } : undefined,
          );
          build.onLoad({ filter: /.*/, namespace: 'example' }, (args) => {
            if (args.path === 'aws-amplify/auth') {
              return { contents: `module.exports = globalThis[${JSON.stringify(key)}];`, loader: 'js' };
            }
            return { contents: examples.get(args.path) ?? '', loader: 'ts', resolveDir: ROOT };
          });
        },
      },
    ],
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'client-example-')), `${name}.mjs`);
  writeFileSync(file, built.outputFiles[0]?.text ?? '');
  try {
    return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
