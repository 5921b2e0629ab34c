import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_PATH, PROJECT_ROOT, ZIP_PATH } from '../paths.mjs';
import { freePort } from '../tools/local/servers.js';

// Every `aws` command in the docs, run through the AWS CLI installed here against a closed local
// port: a command whose arguments do not parse fails before it connects, so "Could not connect"
// proves the parse. The first is docs/deploy.md's "AWS CLI" script, run whole; then every other
// `aws` command in a sh block of README.md or docs/. AWS CLI v2 at /usr/bin/aws is preferred; when
// this machine has only v1, the test says so in its name and runs with that.

function findAwsCli(): { path: string; version: string } | undefined {
  for (const candidate of ['/usr/bin/aws', 'aws']) {
    const result = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (result.status === 0) return { path: candidate, version: `${result.stdout}${result.stderr}`.trim() };
  }
  return undefined;
}

const DEPLOY_PAGE = 'docs/deploy.md';
const CLI_HEADING = '## AWS CLI\n';

/** The first sh block of docs/deploy.md's "AWS CLI" section. */
function cliSectionScript(): string {
  const page = readFileSync(path.join(PROJECT_ROOT, DEPLOY_PAGE), 'utf8');
  const start = page.indexOf(CLI_HEADING);
  if (start < 0) throw new Error(`${DEPLOY_PAGE} has no "${CLI_HEADING.trim()}" section`);
  const match = /```sh\n([\s\S]*?)```/.exec(page.slice(start));
  if (match?.[1] === undefined) throw new Error(`${DEPLOY_PAGE} has no sh block under "${CLI_HEADING.trim()}"`);
  return match[1];
}

/** Every other `aws` command (with its continuation lines) in a sh block of README.md or docs/. */
function otherCommands(): { file: string; command: string }[] {
  const script = cliSectionScript();
  const files = ['README.md', ...readdirSync(path.join(PROJECT_ROOT, 'docs')).map((name) => `docs/${name}`)];
  const commands: { file: string; command: string }[] = [];
  for (const file of files.filter((name) => name.endsWith('.md'))) {
    const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
    for (const [, block = ''] of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
      if (block === script) continue;
      const lines = block.split('\n');
      for (let index = 0; index < lines.length; index++) {
        if (!/^aws /.test(lines[index] ?? '')) continue;
        let command = lines[index] ?? '';
        while (command.endsWith('\\') && index + 1 < lines.length) command += `\n${lines[++index] ?? ''}`;
        commands.push({ file, command });
      }
    }
  }
  return commands;
}

const SHIM = [
  'set -eu',
  'calls=0',
  // Each call: the real CLI, pointed at a closed port, its stderr kept for the test to read.
  // `command` runs the CLI itself, never this function again.
  'aws() { calls=$((calls + 1)); command "$REAL_AWS" "$@" --endpoint-url "$DEAD_ENDPOINT" > /dev/null 2> "calls/$calls.err" || true; }',
].join('\n');

/** Runs a script with `aws` shimmed, in a scratch folder; the stderr of each call, in order. */
async function runShimmed(script: string, prepare: (dir: string) => void): Promise<{ dir: string; errors: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-cli-'));
  prepare(dir);
  mkdirSync(path.join(dir, 'calls'));
  execFileSync('bash', ['-c', `${SHIM}\n${script}`], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      REAL_AWS: cli?.path ?? 'aws',
      DEAD_ENDPOINT: `http://127.0.0.1:${String(await freePort())}`,
      AWS_ACCESS_KEY_ID: 'readme-test',
      AWS_SECRET_ACCESS_KEY: 'readme-test',
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // AWS CLI v1 starts Python for each command (about a second each, several when the machine is
    // busy with the other test files); the docs hold some fifty commands.
    timeout: 170_000,
  });
  const errors = readdirSync(path.join(dir, 'calls'))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((file) => readFileSync(path.join(dir, 'calls', file), 'utf8'));
  return { dir, errors };
}

const cli = findAwsCli();
const name = cli === undefined ? 'no AWS CLI on this machine' : (cli.version.split(' ')[0] ?? cli.version);

describe.skipIf(cli === undefined)(`The docs' AWS CLI commands, parsed by ${name}`, () => {
  it(`parse in ${DEPLOY_PAGE}, every one of them, with the files they read in place`, async () => {
    const script = cliSectionScript();
    const commands = script.split('\n').filter((line) => /^aws /.test(line)).length;
    expect(commands).toBeGreaterThanOrEqual(5);
    const { dir, errors } = await runShimmed(script, (scratch) => {
      mkdirSync(path.join(scratch, 'dist'));
      copyFileSync(ZIP_PATH, path.join(scratch, 'dist/pre-signup.zip'));
    });
    try {
      expect(errors).toHaveLength(commands);
      for (const [index, stderr] of errors.entries()) {
        expect(stderr, `command ${String(index + 1)}`).toContain('Could not connect to the endpoint URL');
      }
      // The files the commands read were written by the script itself.
      expect(existsSync(path.join(dir, 'trust-policy.json'))).toBe(true);
      const lookups = JSON.parse(readFileSync(path.join(dir, 'lookups-policy.json'), 'utf8')) as {
        Statement: { Resource: string }[];
      };
      expect(lookups.Statement[0]?.Resource).toBe(
        'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('parse everywhere else in README.md and docs/, with the variables the deploy script sets', async () => {
    const commands = otherCommands();
    // The add-permission fix, the email_verified mapping and the invitation secret, at least.
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const variables = cliSectionScript()
      .split('\n')
      .filter((line) => /^[A-Z_]+=\S+/.test(line))
      .join('\n');
    const { dir, errors } = await runShimmed(
      [variables, ...commands.map(({ command }) => command)].join('\n'),
      (scratch) => {
        // The files the commands name, as in a clone of the repository once built.
        copyFileSync(path.join(PROJECT_ROOT, 'waf.yaml'), path.join(scratch, 'waf.yaml'));
        mkdirSync(path.join(scratch, 'dist/playground'), { recursive: true });
        copyFileSync(PLAYGROUND_PATH, path.join(scratch, 'dist/playground/index.html'));
      },
    );
    try {
      expect(errors).toHaveLength(commands.length);
      for (const [index, stderr] of errors.entries()) {
        const where = commands[index];
        expect(stderr, `${where?.file ?? ''}: ${where?.command ?? ''}`).toContain(
          'Could not connect to the endpoint URL',
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('would catch a command that does not parse (the check can fail)', async () => {
    const result = spawnSync(
      cli?.path ?? 'aws',
      [
        'lambda',
        'create-function',
        '--function-name',
        'x',
        '--environment',
        'Variables={A=example.com,*.example.com}',
        '--endpoint-url',
        `http://127.0.0.1:${String(await freePort())}`,
        '--region',
        'eu-west-1',
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' } },
    );
    expect(result.stderr).not.toContain('Could not connect to the endpoint URL');
    expect(result.status).not.toBe(0);
  }, 30_000);
});
