import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAVED_QUERIES } from '../../src/cdk/dashboard.js';
import { PreSignUpTrigger, type PreSignUpTriggerProps } from '../../src/cdk/index.js';
import { loadConfig } from '../../src/config/load-config.js';
import { handlePreSignUp } from '../../src/handler.js';
import { createInvocationLogger } from '../../src/log/invocation-log.js';
import { fixedConfiguration } from '../../src/look-up/configuration.js';
import type { FactGatherer } from '../../src/look-up/lazy/gather-facts.js';
import { gatherFacts } from '../../src/look-up/lazy/gather-facts.js';
import { loadEvent } from '../helpers/events.js';
import { loadTemplate, type Node } from '../helpers/template.js';

// "Every metric the dashboard names is one the function emits": the handler runs for real on
// sign-ups that make it emit each kind of line (admitted, refused, log-only, a failed and throttled
// lookup), the EMF directives are read from the lines it wrote, and each metric the CDK construct's
// dashboard and template.yaml's name in the function's namespace must be among them, with its
// dimensions. Only the failed lookup is played by a stand-in gatherer: no emulator throttles on demand.

/** `Name|dimension,dimension` for every metric and dimension set the function's lines declare. */
async function emittedMetrics(): Promise<Set<string>> {
  const lines: string[] = [];
  const run = async (env: Record<string, string>, file: string, gather: FactGatherer = gatherFacts) => {
    const loaded = loadConfig({ EXISTING_ACCOUNT_POLICY: 'ignore', ...env });
    try {
      await handlePreSignUp(loadEvent(file), undefined, {
        configuration: fixedConfiguration({ loaded, byClient: new Map(), clientWarnings: [] }),
        gather,
        log: createInvocationLogger({
          functionName: 'PreSignUp',
          logLevel: undefined,
          metricsNamespace: loaded.config.metricsNamespace,
          write: (line) => lines.push(line),
        }),
        warnOnce: () => [],
      });
    } catch {
      // A refusal: its line is what is wanted.
    }
  };
  await run({}, 'sign-up.json');
  await run({ BLOCKED_EMAIL_DOMAINS: 'blocked.example' }, 'sign-up-blocked-domain.json');
  await run(
    { BLOCKED_EMAIL_DOMAINS: 'blocked.example', LOG_ONLY_RULES: 'BLOCKED_EMAIL_DOMAINS' },
    'sign-up-blocked-domain.json',
  );
  await run({ BLOCK_DISPOSABLE_EMAILS: 'true', FAIL_OPEN: 'true' }, 'sign-up.json', () =>
    Promise.resolve({
      facts: { disposableEmail: 'transient-failure' },
      failures: [{ lookup: 'disposableEmail', error: 'TimeoutError', kind: 'transient-failure' }],
      warnings: [],
      throttled: { ListUsers: 1 },
    }),
  );
  const emitted = new Set<string>();
  for (const line of lines) {
    const { _aws } = JSON.parse(line) as {
      _aws?: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    for (const directive of _aws?.CloudWatchMetrics ?? []) {
      expect(directive.Namespace).toBe('CognitoPreSignUp');
      for (const metric of directive.Metrics) {
        for (const dimensions of directive.Dimensions)
          emitted.add(`${metric.Name}|${[...dimensions].sort().join(',')}`);
      }
    }
  }
  return emitted;
}

/** What a dashboard body's widgets name: in `namespace`, `Name|dimensions`; elsewhere `Namespace/Name`. */
function namedMetrics(body: string, namespace: string): { ours: Set<string>; others: Set<string> } {
  const ours = new Set<string>();
  const others = new Set<string>();
  const { widgets } = JSON.parse(body) as { widgets: { properties: { metrics?: unknown[][] } }[] };
  for (const widget of widgets) {
    for (const entry of widget.properties.metrics ?? []) {
      const [first] = entry;
      if (typeof first === 'object' && first !== null && 'expression' in first) {
        const expression = String(first.expression);
        const search = /SEARCH\('\{([^}]*)\} MetricName="(\w+)"/.exec(expression);
        expect(search, expression).not.toBeNull();
        const [space, ...dimensions] = (search?.[1] ?? '').split(',').map((part) => part.replaceAll('"', ''));
        expect(space).toBe(namespace);
        ours.add(`${search?.[2] ?? ''}|${dimensions.sort().join(',')}`);
        continue;
      }
      const strings = entry.filter((part): part is string => typeof part === 'string');
      const [space = '', name = '', ...pairs] = strings;
      const dimensions = pairs.filter((_, index) => index % 2 === 0).sort();
      if (space === namespace) ours.add(`${name}|${dimensions.join(',')}`);
      else others.add(`${space}/${name}`);
    }
  }
  return { ours, others };
}

/** A CloudFormation value as text, each token (a Ref, a GetAtt) replaced by `TOKEN`. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join !== undefined) return join[1].map(textOf).join(join[0]);
  return 'TOKEN';
}

const cdkOutdir = mkdtempSync(path.join(tmpdir(), 'pre-signup-dashboard-test-'));
const cdkOutdirBefore = process.env.CDK_OUTDIR;
beforeAll(() => {
  process.env.CDK_OUTDIR = cdkOutdir;
});
afterAll(() => {
  if (cdkOutdirBefore === undefined) delete process.env.CDK_OUTDIR;
  else process.env.CDK_OUTDIR = cdkOutdirBefore;
  rmSync(cdkOutdir, { recursive: true, force: true });
});

function synth(props: Omit<PreSignUpTriggerProps, 'userPool'> = {}) {
  const stack = new Stack(new App({ autoSynth: false }), 'Test', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  new PreSignUpTrigger(stack, 'PreSignUp', { userPool: new UserPool(stack, 'Pool'), ...props });
  return Template.fromStack(stack);
}

const LAMBDA_METRICS = new Set(['AWS/Lambda/Duration', 'AWS/Lambda/Errors', 'AWS/Lambda/Throttles']);

// Synthesising loads aws-cdk-lib and hashes the zip: the first synth of a file takes seconds on a busy machine.
describe('the dashboards', { timeout: 90_000 }, () => {
  let emitted: Set<string>;
  beforeAll(async () => {
    emitted = await emittedMetrics();
  });

  it('read the metrics the function emits: the check sees what a line declares', () => {
    expect(emitted).toContain('SignUps|code,outcome');
    expect(emitted).toContain('WouldRefuse|code');
    expect(emitted).toContain('Throttled|operation');
    expect(emitted).toContain('LookupFailures|');
  });

  it('of the CDK construct name only metrics the function emits, and the function’s own', () => {
    const dashboards = Object.values(synth().findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: unknown };
    }[];
    expect(dashboards).toHaveLength(1);
    const { ours, others } = namedMetrics(textOf(dashboards[0]?.Properties.DashboardBody), 'CognitoPreSignUp');
    expect(ours.size).toBeGreaterThanOrEqual(5);
    expect([...ours].filter((metric) => !emitted.has(metric))).toEqual([]);
    expect(others).toEqual(LAMBDA_METRICS);
  });

  it('of the CDK construct use the namespace the function is given, and none with dashboard: false', () => {
    const template = synth({ metricsNamespace: 'Auth/SignUps' });
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: unknown };
    }[];
    expect(namedMetrics(textOf(dashboard?.Properties.DashboardBody), 'Auth/SignUps').ours.size).toBeGreaterThan(0);
    const without = synth({ dashboard: false });
    expect(without.findResources('AWS::CloudWatch::Dashboard')).toEqual({});
    expect(without.findResources('AWS::Logs::QueryDefinition')).toEqual({});
  });

  it('of template.yaml name the same metrics as the construct’s, behind the Dashboard parameter', () => {
    const { resources } = loadTemplate();
    const dashboard = resources.PreSignUpDashboard as { Condition?: string; Properties: Node } | undefined;
    expect(dashboard?.Condition).toBe('CreatesDashboard');
    const body = (dashboard?.Properties.DashboardBody as { 'Fn::Sub': string })['Fn::Sub']
      .replaceAll('${MetricsNamespace}', 'CognitoPreSignUp')
      .replaceAll('${AWS::Region}', 'eu-west-1')
      .replaceAll('${PreSignUpFunction}', 'fn');
    const fromTemplate = namedMetrics(body, 'CognitoPreSignUp');
    expect([...fromTemplate.ours].filter((metric) => !emitted.has(metric))).toEqual([]);
    expect(fromTemplate.others).toEqual(LAMBDA_METRICS);
    const [cdkDashboard] = Object.values(synth().findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: unknown };
    }[];
    const fromCdk = namedMetrics(textOf(cdkDashboard?.Properties.DashboardBody), 'CognitoPreSignUp');
    expect(fromTemplate.ours).toEqual(fromCdk.ours);
  });

  it('come with the same saved Logs Insights queries in the construct and the template', () => {
    const cdkQueries = Object.values(synth().findResources('AWS::Logs::QueryDefinition')) as {
      Properties: { Name: string; QueryString: string };
    }[];
    const { resources } = loadTemplate();
    const templateQueries = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::Logs::QueryDefinition')
      .map((resource) => ({
        name: (resource.Properties.Name as { 'Fn::Sub': string })['Fn::Sub'].split('/').at(-1),
        query: resource.Properties.QueryString,
      }));
    const byName = (queries: { name: string | undefined; query: unknown }[]): Record<string, unknown> =>
      Object.fromEntries(queries.map(({ name, query }): [string, unknown] => [name ?? '', query]));
    expect(Object.keys(byName(templateQueries)).sort()).toEqual(Object.keys(SAVED_QUERIES).sort());
    expect(
      byName(
        cdkQueries.map((query) => ({
          name: query.Properties.Name.split('/').at(-1),
          query: query.Properties.QueryString,
        })),
      ),
    ).toEqual(byName(templateQueries));
  });
});
