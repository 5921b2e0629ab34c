import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths.mjs';
import { nodeBinaryFor } from '../../tools/local/lambda-runtimes.js';

const run = promisify(execFile);

// `cd examples/cdk && npx cdk synth`, as docs/deploy.md has it: npx finds the CDK CLI in the
// lockfile's node_modules (it asks to download it, or refuses, when it is not a dev dependency), and
// the CLI runs cdk.json's `node app.ts`, which needs Node 22.18 or later: the fetched Node 22 is put
// first on the PATH (Node 22 strips the types; app.ts imports the package's built `/cdk` export).
// Offline: no notices, no version check, no telemetry, no instance metadata. This is the one run of
// examples/cdk/app.ts: the template it writes is checked here, the trigger attached and the
// settings passed.
describe('npx cdk synth in examples/cdk', () => {
  it('runs the CDK CLI from the lockfile, offline, and writes the example’s template, with the trigger attached and the settings checked', async () => {
    const node = await nodeBinaryFor('22');
    const home = mkdtempSync(path.join(tmpdir(), 'cdk-cli-'));
    const outdir = path.join(home, 'cdk.out');
    try {
      const version = await run('npx', ['--offline', 'cdk', '--version'], {
        cwd: path.join(PROJECT_ROOT, 'examples/cdk'),
        env: { PATH: process.env.PATH ?? '', HOME: home },
      });
      const pinned = (
        JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
          devDependencies: Record<string, string>;
        }
      ).devDependencies['aws-cdk'];
      expect(version.stdout).toMatch(new RegExp(`^${String(pinned).replaceAll('.', '\\.')} `));

      const synth = await run('npx', ['--offline', 'cdk', 'synth', '--no-notices', '--output', outdir], {
        cwd: path.join(PROJECT_ROOT, 'examples/cdk'),
        env: {
          PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
          HOME: home,
          CDK_DISABLE_VERSION_CHECK: 'true',
          CDK_DISABLE_CLI_TELEMETRY: 'true',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(synth.stdout).toContain('Wrote the CloudFormation template of stack PreSignUpExample');
      // The CLI prints the template too; the file is what deploys.
      const template = JSON.parse(readFileSync(path.join(outdir, 'PreSignUpExample.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const resources = Object.values(template.Resources);
      const fn = resources.find((resource) => resource.Type === 'AWS::Lambda::Function');
      expect(fn?.Properties).toMatchObject({
        Handler: 'index.handler',
        Environment: {
          Variables: {
            ALLOWED_EMAIL_DOMAINS: 'example.com,*.example.com',
            EXISTING_ACCOUNT_POLICY: 'deny',
            INVITE_SECRET_PARAMETER: '/pre-signup/invite-secret',
          },
        },
      });
      const pool = resources.find((resource) => resource.Type === 'AWS::Cognito::UserPool');
      expect(pool?.Properties.LambdaConfig).toHaveProperty('PreSignUp');
      expect(synth.stderr).not.toMatch(/Circular Dependencies|WARNING/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 180_000);
});
