import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths.mjs';
import { checkBuildTools } from '../tools/local/lambda-runtimes.js';
import { freePort, startCognitoLocal } from '../tools/local/servers.js';
import { verifyInvitationCode } from '../src/look-up/lazy/invitation-signature.js';
import { runTool } from './helpers/run-tool.js';

describe('npm run rules -- check', () => {
  it('passes a good document, and names every problem of a bad one with exit 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rules-check-'));
    try {
      const good = path.join(dir, 'good.json');
      writeFileSync(
        good,
        JSON.stringify({
          BLOCKED_EMAILS: ['spam@example.com'],
          EXISTING_ACCOUNT_POLICY: 'no-verify',
          clients: { admin: { AUTO_CONFIRM: false } },
        }),
      );
      const passed = await runTool('rules', ['check', good]);
      expect(passed.status).toBe(0);
      expect(passed.stdout).toBe(`${good}: ok (1 app client(s) with settings of their own)\n`);

      const bad = path.join(dir, 'bad.json');
      writeFileSync(
        bad,
        JSON.stringify({
          BLOCKED_EMAIL_DOMIANS: ['x.example'],
          ALLOWED_PHONE_PREFIXES: ['44'],
          EXISTING_ACCOUNT_POLICY: 'ignore',
        }),
      );
      const failed = await runTool('rules', ['check', bad]);
      expect(failed.status).toBe(1);
      expect(failed.stdout.split('\n')).toEqual([
        'ALLOWED_PHONE_PREFIXES: expected E.164 prefixes like "+1" or "+4930"; received the entry "44"',
        'RULES_FILE: BLOCKED_EMAIL_DOMIANS: expected a setting name (did you mean BLOCKED_EMAIL_DOMAINS?); received an unknown key',
        `${bad}: 2 problem(s): the function would refuse every sign-up with CONFIG_INVALID`,
        '',
      ]);
      // A client that admits more than the top level is allowed, and said out loud.
      const loose = path.join(dir, 'loose.json');
      writeFileSync(
        loose,
        JSON.stringify({
          EXISTING_ACCOUNT_POLICY: 'deny',
          AUTO_CONFIRM: false,
          clients: { tests: { AUTO_CONFIRM: true } },
        }),
      );
      const warned = await runTool('rules', ['check', loose]);
      expect(warned.status).toBe(0);
      expect(warned.stdout).toContain(
        'warning: clients.tests admits more than the top level through AUTO_CONFIRM: app client ids are public',
      );
      const clash = await runTool('rules', ['check', good, '--env', 'BLOCKED_EMAILS=kim@example.com']);
      expect(clash.stdout).toContain(
        'BLOCKED_EMAILS: expected one place for it; received a value in the environment and another in RULES_FILE',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains its usage', async () => {
    const { status, stderr } = await runTool('rules', ['lint', 'x.json']);
    expect(status).toBe(2);
    expect(stderr).toContain('npm run rules -- check FILE');
  });
});

describe('npm run rules -- test', () => {
  it('prints every rule’s verdict, what Cognito gets and the log line, from an env file, a document and facts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rules-test-'));
    try {
      const env = path.join(dir, 'prod.env');
      writeFileSync(
        env,
        '# as the Lambda console holds it\nBLOCK_DISPOSABLE_EMAILS=true\nMIN_USERNAME_LENGTH=3\nLOG_ONLY_RULES=BLOCK_DISPOSABLE_EMAILS\nEXISTING_ACCOUNT_POLICY=ignore\n',
      );
      const text = await runTool('rules', ['test', '--event', 'events/sign-up-disposable-email.json', '--env', env]);
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(
        /BLOCK_DISPOSABLE_EMAILS +passed, assuming disposableEmail: false \(no lookup is made: --facts answers it\)/,
      );
      expect(text.stdout).toContain('autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false (confirmed)');

      const json = await runTool('rules', [
        'test',
        '--event',
        'events/sign-up-disposable-email.json',
        '--env',
        env,
        '--facts',
        '{"disposableEmail": true}',
        '--json',
      ]);
      const result = JSON.parse(json.stdout) as { outcome: string; rules: unknown[]; log: Record<string, unknown> };
      expect(result.outcome).toBe('confirmed');
      expect(result.rules).toContainEqual({
        rule: 'BLOCK_DISPOSABLE_EMAILS',
        verdict: 'log-only',
        code: 'DISPOSABLE_EMAIL',
      });
      expect(result.log).toMatchObject({ wouldRefuse: ['DISPOSABLE_EMAIL'], WouldRefuse: 1 });

      const document = path.join(dir, 'rules.json');
      writeFileSync(document, JSON.stringify({ clients: { abc: { BLOCKED_EMAIL_DOMAINS: ['example.com'] } } }));
      const refused = await runTool('rules', [
        'test',
        '--event',
        'events/sign-up.json',
        '--document',
        document,
        '--client',
        'abc',
      ]);
      expect(refused.stdout).toContain(
        'the refusal, as the user sees it: PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.',
      );

      const badFacts = await runTool('rules', [
        'test',
        '--event',
        'events/sign-up.json',
        '--facts',
        '{"disposable": true}',
      ]);
      expect(badFacts.status).toBe(1);
      expect(badFacts.stderr).toContain('The facts name "disposable", which is none of disposableEmail');

      // Before: Node's JSON.parse message, which quotes the text ("INVITE_SEC"..., a token).
      const secret = 'tok_9f8e7d6c5b4a';
      const notJson = await runTool('rules', [
        'test',
        '--event',
        'events/sign-up.json',
        '--facts',
        `{"captcha": ${secret}}`,
      ]);
      expect(notJson.status).toBe(2);
      expect(notJson.stderr).toContain('--facts is not JSON (an error at character 12 of 29).');
      expect(notJson.stderr).not.toContain('tok_');
      const eventFile = path.join(dir, 'bad-event.json');
      writeFileSync(eventFile, `{"request": {"userAttributes": {"email": "${secret}@example.com"}`);
      const badEvent = await runTool('rules', ['test', '--event', eventFile]);
      expect(badEvent.status).toBe(2);
      expect(badEvent.stderr).toMatch(/bad-event\.json is not JSON \(an error at character \d+ of \d+\)\./);
      expect(badEvent.stderr).not.toContain('tok_');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs --event', async () => {
    const { status, stderr } = await runTool('rules', ['test']);
    expect(status).toBe(2);
    expect(stderr).toContain('--event is required.');
  });
});

describe('npm run invoke', () => {
  it('runs the function with a rules document given by --rules', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'invoke-rules-'));
    try {
      const rules = path.join(dir, 'rules.json');
      writeFileSync(rules, JSON.stringify({ BLOCKED_EMAIL_DOMAINS: ['blocked.example'] }));
      const { status, stderr } = await runTool('invoke', ['events/sign-up-blocked-domain.json', '--rules', rules]);
      expect(status).toBe(1);
      expect(stderr).toContain('PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the returned event as JSON for an accepted sign-up', async () => {
    const { status, stdout, stderr } = await runTool('invoke', ['events/sign-up.json']);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as { response: unknown }).response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: true,
    });
    expect(JSON.parse(stderr.trim())).toMatchObject({ outcome: 'confirmed', function: 'PreSignUp' });
  });

  it.each(['24', 'host'])('runs on --runtime %s, with the log format asked for', async (runtime) => {
    const { status, stderr } = await runTool('invoke', [
      'events/sign-up.json',
      '--runtime',
      runtime,
      '--log-format',
      'Text',
      '--env',
      'BLOCKED_EMAIL_DOMAINS=example.com',
    ]);
    expect(status).toBe(1);
    // Our line is JSON under both formats; the runtime's own error line is in its Text format.
    expect(stderr).toMatch(/^\{"timestamp":.*"outcome":"refused"/m);
    expect(stderr).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"SignUpRefusedError"/);
  });

  it('falls back to this machine’s Node, and says so, when Node 22 cannot be fetched', async () => {
    const emptyCache = mkdtempSync(path.join(tmpdir(), 'no-runtimes-'));
    try {
      const { status, stdout, stderr } = await runTool('invoke', ['events/sign-up.json'], {
        env: {
          LAMBDA_RUNTIME_CACHE: emptyCache,
          // An npm that cannot reach any registry: a closed port on this machine, no retries.
          npm_config_registry: `http://127.0.0.1:${String(await freePort())}/`,
          npm_config_fetch_retries: '0',
          npm_config_fetch_timeout: '2000',
          HOME: emptyCache,
        },
      });
      expect(status).toBe(0);
      expect(stderr).toMatch(/^invoke: Node 22 is not available \(.+\); running on this machine's Node$/m);
      expect((JSON.parse(stdout) as { response: { autoConfirmUser: unknown } }).response.autoConfirmUser).toBe(true);
    } finally {
      rmSync(emptyCache, { recursive: true, force: true });
    }
  });

  it('prints its usage on --help, and refuses an unknown runtime', async () => {
    expect(await runTool('invoke', ['--help'])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('Usage: npm run invoke'),
    });
    const { status, stderr } = await runTool('invoke', ['events/sign-up.json', '--runtime', '20']);
    expect(status).toBe(2);
    expect(stderr).toContain('--runtime must be 22, 24 or host');
  });

  it('prints the error as Cognito shows it and exits 1 on a refusal', async () => {
    const { status, stdout, stderr } = await runTool('invoke', [
      'events/sign-up.json',
      '--env',
      'BLOCKED_EMAIL_DOMAINS=example.com',
    ]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.\n',
    );
  });

  it('names each bad setting in a sentence first, then exits 1 with CONFIG_INVALID', async () => {
    const { status, stderr } = await runTool('invoke', ['events/sign-up.json', '--env', 'AUTO_CONFIRM=yes']);
    expect(status).toBe(1);
    expect(stderr.split('\n').slice(0, 2)).toEqual([
      'invoke: the settings have 1 problem, so the function refuses every sign-up with CONFIG_INVALID:',
      expect.stringMatching(/^ {2}AUTO_CONFIRM: expected .+; received "yes"$/),
    ]);
    expect(stderr).toContain('PreSignUp failed with error CONFIG_INVALID: Sign-up is temporarily unavailable.');
  });

  it('says which credentials, region and endpoints a failed lookup used, and why it failed, in words', async () => {
    const closed = `http://127.0.0.1:${String(await freePort())}`;
    const { status, stderr } = await runTool(
      'invoke',
      ['events/sign-up.json', '--env', 'EXISTING_ACCOUNT_POLICY=deny'],
      {
        env: {
          AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY123456',
          AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
          AWS_DEFAULT_REGION: 'eu-west-1',
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: closed,
        },
      },
    );
    expect(status).toBe(1);
    const access = `the credentials of AWS_ACCESS_KEY_ID AKIA…3456, region eu-west-1, Cognito at ${closed}, DynamoDB at AWS's endpoint`;
    // Said before the run, since these came from the shell, and again with the failure.
    expect(stderr.split('\n')[0]).toBe(`invoke: AWS calls use ${access}, SSM at AWS's endpoint.`);
    expect(stderr).toContain(
      'invoke: 2 lookups failed:\n  existingAccountForEmail failed (transient-failure): Error, most often the endpoint could not be reached',
    );
    expect(stderr).toContain(`The function's AWS calls used ${access}`);
    expect(stderr).toContain('For the local emulators: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=');
    expect(stderr).not.toContain('not-a-real-secret');
    expect(stderr).toContain('PreSignUp failed with error SERVICE_UNAVAILABLE: Please try again.');
  });

  it('uses made-up credentials when the shell has none, and says so when a lookup fails', async () => {
    const cognitoLocal = await startCognitoLocal(`http://127.0.0.1:${String(await freePort())}`);
    try {
      const { status, stderr } = await runTool(
        'invoke',
        ['events/sign-up.json', '--env', 'EXISTING_ACCOUNT_POLICY=deny'],
        { env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoLocal.endpoint } },
      );
      expect(status).toBe(1);
      // cognito-local has no pool us-east-1_EXAMPLE (the event's): the emulator answered, and said so.
      expect(stderr).toMatch(
        /existingAccountForEmail failed \(\S+\): ResourceNotFoundException, the pool, table or parameter named in the settings does not exist/,
      );
      expect(stderr).toContain(
        `used made-up credentials (AWS_ACCESS_KEY_ID=local), which only the local emulators accept, region us-east-1 (no AWS_REGION set), Cognito at ${cognitoLocal.endpoint}`,
      );
    } finally {
      await cognitoLocal.stop();
    }
  });

  it('reads the event from standard input with -', async () => {
    const { status, stdout } = await runTool('invoke', ['-'], {
      input: '{"request":{"userAttributes":{"email":"a@example.com"}}}',
    });
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as { response: { autoVerifyEmail: unknown } }).response.autoVerifyEmail).toBe(true);
  });

  it('names a missing file in one line, without a stack trace', async () => {
    const { status, stderr } = await runTool('invoke', ['events/no-such-event.json']);
    expect(status).toBe(2);
    expect(stderr).toBe('invoke: cannot read events/no-such-event.json: no such file\n');
  });

  it('names a malformed file in one line', async () => {
    const { status, stderr } = await runTool('invoke', ['-'], { input: '{"request": ' });
    expect(status).toBe(2);
    expect(stderr).toMatch(/^invoke: standard input is not valid JSON: [^\n]+\n$/);
  });

  it('rejects a malformed --env pair', async () => {
    const { status, stderr } = await runTool('invoke', ['events/sign-up.json', '--env', 'NOEQUALS']);
    expect(status).toBe(2);
    expect(stderr).toContain('--env expects NAME=VALUE');
  });
});

describe('npm run secret-hash', () => {
  it('prints Base64(HMAC-SHA256(secret, username + client id))', async () => {
    // Expected value computed independently with Python's hmac module.
    const { status, stdout } = await runTool('secret-hash', [
      '--username',
      'alice',
      '--client-id',
      '1example23456789',
      '--client-secret',
      'client-secret-123',
    ]);
    expect(status).toBe(0);
    expect(stdout).toBe('SecretHash: R9pVsPus7hXE9KK63xXVjnsG3oLnRQ3Kr9Dui43kPp0=\n');
  });

  it('names a missing option', async () => {
    const { status, stderr } = await runTool('secret-hash', ['--username', 'alice']);
    expect(status).toBe(2);
    expect(stderr).toContain('--client-id is required');
  });
});

describe('npm run invite', () => {
  const secret = 'invite-secret-for-tests-0123456789';

  it('prints one code alone on stdout, valid for that email in any letter case until it expires', async () => {
    const { status, stdout } = await runTool('invite', ['--email', 'Kim@Example.com', '--days', '7'], {
      env: { INVITE_SECRET: secret },
    });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^[A-Za-z0-9_-]+\n$/);
    const code = stdout.trim();
    const now = Math.floor(Date.now() / 1000);
    expect(verifyInvitationCode(secret, 'kim@example.com', code, now)).toBe(true);
    expect(verifyInvitationCode(secret, 'other@example.com', code, now)).toBe(false);
    expect(verifyInvitationCode(`${secret}x`, 'kim@example.com', code, now)).toBe(false);
    expect(verifyInvitationCode(secret, 'kim@example.com', code, now + 8 * 86_400)).toBe(false);
  });

  it('refuses to sign without INVITE_SECRET', async () => {
    const { status, stdout, stderr } = await runTool('invite', ['--email', 'kim@example.com']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('INVITE_SECRET must be set');
  });
});

describe('the Lambda runtime client, built on first use', () => {
  it('names every missing build tool at once, and how to install them', () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'no-build-tools-'));
    try {
      expect(() => checkBuildTools(emptyDir)).toThrow(
        'The Lambda runtime client (aws-lambda-ric 4.0.2) is built from its C++ sources on first use, which needs ' +
          'cmake, make and g++, and cmake, make, g++ are not on the PATH. Install them, then run again: ' +
          'sudo apt-get install cmake make g++ (Debian, Ubuntu), or brew install cmake make gcc (Homebrew).',
      );
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});

// Every tool an npm script runs (`node scripts/run-tool.mjs TOOL`), as package.json names them.
const TOOLS = Object.values(
  (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
).flatMap((script) => /^node scripts\/run-tool\.mjs ([\w-]+)$/.exec(script)?.slice(1) ?? []);

describe('every tool', () => {
  it('is run by an npm script', () => {
    expect(TOOLS).toEqual(expect.arrayContaining(['invoke', 'bench', 'rules', 'settings-reference']));
  });

  it.each(TOOLS)('%s prints its usage on --help and exits 0, doing nothing else', async (tool) => {
    const { status, stdout, stderr } = await runTool(tool, ['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: (INVITE_SECRET=\.\.\. )?npm run /);
    expect(stderr).toBe('');
  });
});

// Every script in package.json, run as a user runs it with `-- --help`.
const SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
);

/** When each file of the repository was last written (not node_modules, .cache, .git): what a script changed. */
function writeTimes(dir = PROJECT_ROOT, times = new Map<string, number>()): Map<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.cache', '.git', 'coverage', '.local-cognito'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) writeTimes(full, times);
    else times.set(path.relative(PROJECT_ROOT, full), statSync(full).mtimeMs);
  }
  return times;
}

function runNpmScript(
  script: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(killer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('every npm script', () => {
  it('is more than the few that chain commands', () => {
    expect(SCRIPTS).toEqual(expect.arrayContaining(['format', 'lint', 'unused-exports', 'test', 'build', 'invoke']));
  });

  it('prints its usage on -- --help, exits 0 and changes no file', async () => {
    const before = writeTimes();
    const results = [];
    // One at a time: `format` and `build` would race each other if --help did run them.
    for (const script of SCRIPTS) results.push({ script, ...(await runNpmScript(script, ['--help'])) });
    const changed = [...writeTimes()].filter(([file, time]) => before.get(file) !== time).map(([file]) => file);
    expect(changed).toEqual([]);
    expect(results.filter(({ status, stdout }) => status !== 0 || !stdout.startsWith('Usage: '))).toEqual([]);
  }, 240_000);

  describe('npm test, with its type check, lint and vitest stood in for', () => {
    // Stand-ins first on the PATH: `npm` passes `run typecheck` and `run lint` after
    // STUB_NPM_RUN_SECONDS and fails `install` (the set-up's fetch of Node) after STUB_NPM_SECONDS;
    // `vitest` says which set-up it was told of and its niceness, then ends after STUB_VITEST_MS
    // with STUB_VITEST_EXIT. The build and the set-up are the real ones.
    let stubs: string;
    beforeAll(() => {
      stubs = mkdtempSync(path.join(tmpdir(), 'npm-test-stubs-'));
      writeFileSync(
        path.join(stubs, 'npm'),
        '#!/bin/sh\nif [ "$1" = install ]; then sleep "$STUB_NPM_SECONDS"; echo "stub npm: no registry" >&2; exit 1; fi\nsleep "$STUB_NPM_RUN_SECONDS"\n',
        { mode: 0o755 },
      );
      writeFileSync(
        path.join(stubs, 'vitest'),
        `#!${process.execPath}\n` +
          "console.log('vitest stand-in: set up by ' + (process.env.LAMBDA_RUNTIMES_SET_UP_BY ?? 'nobody'));\n" +
          "console.log('vitest stand-in: niceness ' + String(require('node:os').getPriority()));\n" +
          "setTimeout(() => { console.log('vitest stand-in: done'); process.exit(Number(process.env.STUB_VITEST_EXIT)); }, Number(process.env.STUB_VITEST_MS));\n",
        { mode: 0o755 },
      );
    });
    afterAll(() => {
      rmSync(stubs, { recursive: true, force: true });
    });

    function npmTest(env: Record<string, string>) {
      const child = spawn(process.execPath, ['scripts/npm-script.mjs', 'test'], {
        cwd: PROJECT_ROOT,
        env: { PATH: `${stubs}${path.delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        child.once('close', (status) => {
          clearTimeout(killer);
          resolve({ status, stdout, stderr });
        });
      });
    }

    it('starts vitest beside a set-up still going, naming its process, and ends the run when the set-up fails', async () => {
      const emptyCache = mkdtempSync(path.join(tmpdir(), 'no-runtimes-'));
      try {
        const started = Date.now();
        const { status, stdout, stderr } = await npmTest({
          // No Node 22/24 here: the set-up fetches them, and the stand-in npm fails that after 3 s.
          LAMBDA_RUNTIME_CACHE: emptyCache,
          STUB_NPM_SECONDS: '3',
          STUB_NPM_RUN_SECONDS: '0',
          STUB_VITEST_MS: '30000',
          STUB_VITEST_EXIT: '0',
        });
        expect(stdout).toMatch(/^vitest stand-in: set up by \d+$/m);
        // It yields the CPU to the set-up.
        expect(Number(/niceness (-?\d+)/.exec(stdout)?.[1])).toBe(Math.min(19, getPriority() + 10));
        expect(stderr).toContain('test: step 3 of 3, vitest run --coverage, beside the set-up of the runtimes');
        expect(stderr).toContain('test: the set-up of the runtimes failed (exit code 1); see above');
        expect(status).toBe(1);
        // Ended with the set-up, not when the stand-in would have finished.
        expect(stdout).not.toContain('vitest stand-in: done');
        expect(Date.now() - started).toBeLessThan(30_000);
      } finally {
        rmSync(emptyCache, { recursive: true, force: true });
      }
    }, 60_000);

    it("ends with vitest's exit code when nothing is left to set up", async () => {
      // The set-up finds everything in place and ends during the type check, which takes 2 s here.
      const { status, stdout } = await npmTest({
        STUB_NPM_SECONDS: '0',
        STUB_NPM_RUN_SECONDS: '2',
        STUB_VITEST_MS: '1000',
        STUB_VITEST_EXIT: '3',
      });
      expect(stdout).toContain('vitest stand-in: set up by nobody\n');
      expect(stdout).toContain('vitest stand-in: done');
      expect(status).toBe(3);
      expect(stdout).toContain(`vitest stand-in: niceness ${String(getPriority())}\n`);
    }, 60_000);
  });

  it('refuses arguments a chained script would pass to its last command only', async () => {
    const { status, stderr } = await runNpmScript('format', ['src']);
    expect(status).toBe(2);
    expect(stderr).toContain('format: takes no arguments, received src');
  });
});

describe('npm run local', () => {
  /**
   * Starts `npm run local` with these arguments, presses Ctrl-C once it is ready (or sends another
   * signal, to npm itself with `viaNpm`), and returns what it printed, once every process holding
   * its output has ended.
   */
  async function runLocalOnce(
    args: string[],
    { signal = 'SIGINT', viaNpm = false }: { signal?: NodeJS.Signals; viaNpm?: boolean } = {},
  ): Promise<{ status: number | null; stdout: string }> {
    const child = viaNpm
      ? spawn('npm', ['run', '--silent', 'local', '--', ...args], {
          cwd: PROJECT_ROOT,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts/run-tool.mjs'), 'local-flow', ...args], {
          cwd: PROJECT_ROOT,
          env: { PATH: process.env.PATH ?? '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
    let stdout = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!interrupted && stdout.includes('Ctrl-C or SIGTERM stops everything.')) {
        interrupted = true;
        child.kill(signal);
      }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(killer);
    return { status, stdout };
  }
  const idsIn = (stdout: string) => ({
    endpoint: /cognito-local +(\S+)/.exec(stdout)?.[1],
    userPoolId: /user pool +(\S+)/.exec(stdout)?.[1],
    clientId: /app client +(\S+)/.exec(stdout)?.[1],
  });

  it('never prints a secret, and says so when Ctrl-C has stopped everything', async () => {
    const secret = 'local-flow-secret-that-must-not-be-printed';
    const state = mkdtempSync(path.join(tmpdir(), 'local-state-'));
    try {
      const { status, stdout } = await runLocalOnce([
        '--state',
        state,
        '--env',
        'INVITE_REQUIRED=true',
        '--env',
        `INVITE_SECRET=${secret}`,
      ]);
      expect(status).toBe(0);
      expect(stdout).not.toContain(secret);
      expect(stdout).toContain(`INVITE_SECRET=(${String(secret.length)} characters, not shown)`);
      expect(stdout.trimEnd().split('\n').at(-1)).toBe(
        `Stopped: cognito-local and the function are shut down; the pool and its users stay in ${state}.`,
      );
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  }, 90_000);

  it('stops everything on SIGTERM to npm run local, as on Ctrl-C', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'local-state-'));
    try {
      // npm passes SIGTERM to the shell it runs the script with, which ends without passing it on.
      const { stdout } = await runLocalOnce(['--state', state], { signal: 'SIGTERM', viaNpm: true });
      expect(stdout.trimEnd().split('\n').at(-1)).toBe(
        `Stopped: cognito-local and the function are shut down; the pool and its users stay in ${state}.`,
      );
      const { endpoint } = idsIn(stdout);
      await expect(fetch(`${endpoint ?? ''}/health`)).rejects.toThrow();
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  }, 90_000);

  it('keeps the port, pool and client across restarts with --port and a state folder; --fresh starts over', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'local-state-'));
    const port = String(await freePort());
    try {
      const first = await runLocalOnce(['--port', port, '--state', state]);
      const second = await runLocalOnce(['--port', port, '--state', state]);
      expect(first.status).toBe(0);
      expect(second.status).toBe(0);
      expect(idsIn(first.stdout).endpoint).toBe(`http://127.0.0.1:${port}`);
      expect(idsIn(second.stdout)).toEqual(idsIn(first.stdout));
      expect(second.stdout).toContain('(kept from the last start)');
      const fresh = await runLocalOnce(['--port', port, '--state', state, '--fresh']);
      expect(idsIn(fresh.stdout).userPoolId).not.toBe(idsIn(first.stdout).userPoolId);
      expect(fresh.stdout).toContain('(new)');
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  }, 120_000);

  it('documents its options and its state folder on --help', async () => {
    const { status, stdout } = await runTool('local-flow', ['--help']);
    expect(status).toBe(0);
    for (const option of ['--port N', '--state DIR', '--fresh', '--env NAME=VALUE', '.local-cognito/', 'SIGTERM']) {
      expect(stdout).toContain(option);
    }
  });

  it('refuses to start with a bad setting, naming each problem in a sentence', async () => {
    const { status, stdout, stderr } = await runTool('local-flow', [
      '--env',
      'AUTO_VERIFY_EMAIL=yes',
      '--env',
      'MIN_USERNAME_LENGTH=-1',
    ]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'local: the settings have 2 problems, so the function would refuse every sign-up with CONFIG_INVALID; nothing was started:',
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}AUTO_VERIFY_EMAIL: expected .+; received "yes"$/),
      expect.stringMatching(/^ {2}MIN_USERNAME_LENGTH: expected .+; received "-1"$/),
    ]);
  });

  it('names a bad --port', async () => {
    const { status, stderr } = await runTool('local-flow', ['--port', '99999']);
    expect(status).toBe(2);
    expect(stderr).toContain('--port expects a port number from 1 to 65535, received "99999"');
  });
});
