import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_PATH, PROJECT_ROOT, ZIP_PATH } from '../paths.mjs';
import { freePort } from '../tools/local/servers.js';

const run = promisify(execFile);

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

// The script runs with `aws` shimmed to record each call's arguments (NUL-separated, as the shell
// split them, in calls/N.args) and do nothing else; the calls are then run through the real CLI
// (runCalls), each pointed at a closed port, its stderr kept for the test to read. The files a call
// reads (file://trust-policy.json) are there when it runs, as the script leaves them: the docs'
// scripts write each file once, before the first command that reads it.
const SHIM = ['set -eu', 'calls=0', `aws() { calls=$((calls + 1)); printf '%s\\0' "$@" > "calls/$calls.args"; }`].join(
  '\n',
);

// AWS CLI v1 starts Python and loads botocore for each command: about a second each (several on a
// busy machine) for the docs' fifty-odd commands. When v1 is what runs, one Python process runs
// them all, each through a fresh CLI driver (what the `aws` script's main() does).
const BATCH = `
import contextlib, io, os, sys
from awscli.clidriver import create_clidriver
endpoint = os.environ['DEAD_ENDPOINT']
for name in sys.argv[1:]:
    with open(name + '.args', 'rb') as file:
        args = [arg.decode() for arg in file.read().split(b'\\0')[:-1]]
    with open(name + '.err', 'w') as err, contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = create_clidriver().main(args + ['--endpoint-url', endpoint])
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 1
    with open(name + '.status', 'w') as file:
        file.write(str(status))
`;

/** The Python that has the same AWS CLI v1 package the `aws` command runs, if there is one. */
function pythonOfCli(version: string): string | undefined {
  const cliVersion = /^aws-cli\/(1\.\S+) /.exec(version)?.[1];
  if (cliVersion === undefined) return undefined;
  const result = spawnSync('python3', ['-c', 'import awscli; print(awscli.__version__)'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === cliVersion ? 'python3' : undefined;
}

/** A call's exit status and stderr, in the order the script made them. */
interface Call {
  readonly status: number;
  readonly stderr: string;
}

/** Runs one command to its end: its exit status (1 when a signal ended it) and its stderr. */
function runOnce(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Call> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => {
      resolve({ status: status ?? 1, stderr });
    });
  });
}

/** Runs the recorded calls calls/1 to calls/N in `dir` through the real CLI. */
async function runCalls(dir: string, count: number, env: NodeJS.ProcessEnv): Promise<Call[]> {
  const names = Array.from({ length: count }, (_, index) => path.join(dir, 'calls', String(index + 1)));
  const python = cli === undefined ? undefined : pythonOfCli(cli.version);
  if (python !== undefined) {
    await run(python, ['-c', BATCH, ...names], { cwd: dir, env, timeout: 170_000 });
  } else {
    // Another CLI (v2 starts no Python): each call its own process, four at a time.
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const args = readFileSync(`${name}.args`, 'utf8').split('\0').slice(0, -1);
        const result = await runOnce(
          cli?.path ?? 'aws',
          [...args, '--endpoint-url', env.DEAD_ENDPOINT ?? ''],
          dir,
          env,
        );
        writeFileSync(`${name}.err`, result.stderr);
        writeFileSync(`${name}.status`, String(result.status));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }
  return names.map((name) => ({
    status: Number(readFileSync(`${name}.status`, 'utf8')),
    stderr: readFileSync(`${name}.err`, 'utf8'),
  }));
}

/** What the CLI needs: made-up credentials, one attempt, no instance metadata. */
async function cliEnvironment(home: string): Promise<NodeJS.ProcessEnv> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    DEAD_ENDPOINT: `http://127.0.0.1:${String(await freePort())}`,
    AWS_ACCESS_KEY_ID: 'readme-test',
    AWS_SECRET_ACCESS_KEY: 'readme-test',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Runs a script with `aws` shimmed, in a scratch folder, then its calls through the CLI, in order. */
async function runShimmed(script: string, prepare: (dir: string) => void): Promise<{ dir: string; calls: Call[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-cli-'));
  prepare(dir);
  mkdirSync(path.join(dir, 'calls'));
  const env = await cliEnvironment(dir);
  execFileSync('bash', ['-c', `${SHIM}\n${script}`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const count = readdirSync(path.join(dir, 'calls')).length;
  return { dir, calls: await runCalls(dir, count, env) };
}

const cli = findAwsCli();
const name = cli === undefined ? 'no AWS CLI on this machine' : (cli.version.split(' ')[0] ?? cli.version);

describe.skipIf(cli === undefined)(`The docs' AWS CLI commands, parsed by ${name}`, () => {
  it(`parse in ${DEPLOY_PAGE}, every one of them, with the files they read in place`, async () => {
    const script = cliSectionScript();
    const commands = script.split('\n').filter((line) => /^aws /.test(line)).length;
    expect(commands).toBeGreaterThanOrEqual(5);
    const { dir, calls } = await runShimmed(script, (scratch) => {
      mkdirSync(path.join(scratch, 'dist'));
      copyFileSync(ZIP_PATH, path.join(scratch, 'dist/pre-signup.zip'));
    });
    try {
      expect(calls).toHaveLength(commands);
      for (const [index, { stderr }] of calls.entries()) {
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
    const { dir, calls } = await runShimmed(
      [variables, ...commands.map(({ command }) => command)].join('\n'),
      (scratch) => {
        // The files the commands name, as in a clone of the repository once built.
        copyFileSync(path.join(PROJECT_ROOT, 'waf.yaml'), path.join(scratch, 'waf.yaml'));
        mkdirSync(path.join(scratch, 'dist/playground'), { recursive: true });
        copyFileSync(PLAYGROUND_PATH, path.join(scratch, 'dist/playground/index.html'));
      },
    );
    try {
      expect(calls).toHaveLength(commands.length);
      for (const [index, { stderr }] of calls.entries()) {
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
    // Through the same recording and the same runner as the docs' commands.
    const { dir, calls } = await runShimmed(
      "aws lambda create-function --function-name x --environment 'Variables={A=example.com,*.example.com}' --region eu-west-1",
      () => undefined,
    );
    try {
      expect(calls).toHaveLength(1);
      expect(calls[0]?.stderr).not.toContain('Could not connect to the endpoint URL');
      expect(calls[0]?.stderr).toMatch(/\S/);
      expect(calls[0]?.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
