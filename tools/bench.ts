// `npm run bench -- [--node 22|24|host] [--lambda-dir DIR] [--rounds N]`: the figures the budgets are
// about, measured as a user feels them: in fresh processes on Node 22 (Lambda's nodejs22.x) and
// under AWS's runtime interface client. Nothing here asserts: the machine is shared and noisy, so
// every figure is a median, and every comparison is paired (alternating runs in one sitting).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import * as esbuild from 'esbuild';
import { common } from '../esbuild.config.mjs';
import { LAMBDA_DIR, PROJECT_ROOT } from '../paths.mjs';
import { BUDGETS, budgetText } from './budgets.js';
import { parseCommandLine, runTool, UsageError } from './cli.js';
import { startFunction } from './local/function-host.js';
import { nodeBinaryFor, RUNTIME_CHOICES, type RuntimeChoice } from './local/lambda-runtimes.js';
import { listenOnLoopback, startDynalite } from './local/servers.js';
import { LOCAL_CREDENTIALS } from './local/stack.js';
// The CAPTCHA verification stand-in the e2e suites use: the answer shapes of the real providers.
import { startCaptchaStandIn } from '../test/helpers/captcha-stand-in.js';
// The DNS stand-in the e2e suites use (dns2 on loopback).
import { DNS_TEST_ZONE, startDnsStandIn } from '../test/helpers/dns-stand-in.js';

const USAGE =
  'npm run bench -- [--node 22|24|host] [--lambda-dir DIR] [--baseline-dir DIR] [--only cold-starts|email-domains] [--rounds N]';

// What Lambda sets in every function's environment (the misspelling check reads all of it).
const LAMBDA_ENVIRONMENT: Record<string, string> = {
  AWS_LAMBDA_FUNCTION_NAME: 'PreSignUp',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
  AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/PreSignUp',
  AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/23/[$LATEST]0123456789abcdef',
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: 'local',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
  _AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129',
  _AWS_XRAY_DAEMON_PORT: '2000',
  _HANDLER: 'index.handler',
  _X_AMZN_TRACE_ID: 'Root=1-00000000-000000000000000000000000',
  LAMBDA_TASK_ROOT: '/var/task',
  LAMBDA_RUNTIME_DIR: '/var/runtime',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  NODE_PATH: '/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules',
  LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64',
  NODE_EXTRA_CA_CERTS: '/etc/pki/tls/certs/ca-bundle.crt',
  PWD: '/var/task',
  SHLVL: '0',
};
// #30's two domain settings: the budget for a function with settings.
const LOCAL_RULES = { ALLOWED_EMAIL_DOMAINS: 'example.com', BLOCKED_EMAIL_DOMAINS: 'blocked.example' };
// #20's "a few local rules": domains, the disposable list, user name, phone prefix, sub-address.
const FEW_LOCAL_RULES = {
  BLOCKED_EMAIL_DOMAINS: 'blocked.example',
  BLOCK_DISPOSABLE_EMAILS: 'true',
  MIN_USERNAME_LENGTH: '3',
  BLOCKED_PHONE_PREFIXES: '+7',
  EMAIL_SUBADDRESSES: 'block',
  EXISTING_ACCOUNT_POLICY: 'ignore',
};
const SIGN_UP = {
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  userName: 'alice',
  callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client' },
  triggerSource: 'PreSignUp_SignUp',
  request: {
    userAttributes: { email: 'alice@example.com', phone_number: '+15555550100' },
    validationData: null,
    clientMetadata: { inviteCode: 'placeholder' },
  },
  response: {},
};

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const verdict = (value: number, budget: number) => (value <= budget ? 'ok' : 'OVER');
/** A figure against its budget (tools/budgets.ts), as the bench prints it: `budget 0.5 ms: ok`. */
const checked = (budget: (typeof BUDGETS)[keyof typeof BUDGETS], value: number) =>
  `budget ${budgetText(budget)}: ${verdict(value, budget.limit)}`;

/** Runs a measuring script in a fresh process; it writes its figures as JSON to BENCH_RESULT. */
async function measure(node: string, script: string, env: Record<string, string>): Promise<Record<string, number>> {
  const result = path.join(work, `result-${String(Math.random()).slice(2)}.json`);
  const child: ChildProcess = spawn(node, [script], {
    env: { PATH: process.env.PATH ?? '', ...env, BENCH_RESULT: result },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${path.basename(script)} exited with ${String(code)}: ${stderr}`);
  const figures = JSON.parse(readFileSync(result, 'utf8')) as Record<string, number>;
  rmSync(result);
  return figures;
}

// Every measuring script first takes its BENCH_ variables out of the environment: Lambda's has none,
// and the function reads any variable that is not the runtime's own as a possible setting.
const TAKE_BENCH_VARIABLES = `
const bench = {};
for (const name of Object.keys(process.env)) if (name.startsWith('BENCH_')) { bench[name] = process.env[name]; delete process.env[name]; }`;

// Import the handler, invoke it once (optionally after a pause), report the times and memory.
const COLD_START_SCRIPT = `${TAKE_BENCH_VARIABLES}
import { writeFileSync } from 'node:fs';
const cpuMs = (since) => { const { user, system } = process.cpuUsage(since); return (user + system) / 1000; };
const startedCpu = process.cpuUsage();
const started = performance.now();
const { handler } = await import(bench.BENCH_MODULE);
const imported = performance.now();
const importCpuMs = cpuMs(startedCpu);
if (bench.BENCH_PAUSE_MS) await new Promise((resolve) => setTimeout(resolve, Number(bench.BENCH_PAUSE_MS)));
const beforeCpu = process.cpuUsage();
const before = performance.now();
let refused = 0;
try { await handler(JSON.parse(bench.BENCH_EVENT), { awsRequestId: 'bench', getRemainingTimeInMillis: () => 4000 }); } catch { refused = 1; }
const done = performance.now();
// CPU time (all of the process's threads) beside wall time: on a machine shared with other work,
// waiting for a core inflates wall time, not CPU time.
writeFileSync(bench.BENCH_RESULT, JSON.stringify({ importMs: imported - started, firstMs: done - before, totalMs: imported - started + done - before, totalCpuMs: importCpuMs + cpuMs(beforeCpu), refused }));
`;

// Many invocations in one process: the warm cost of one, and the memory a burst leaves.
const SUSTAINED_SCRIPT = `${TAKE_BENCH_VARIABLES}
import { writeFileSync } from 'node:fs';
const { handler } = await import(bench.BENCH_MODULE);
const event = JSON.parse(bench.BENCH_EVENT);
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 4000 };
const count = Number(bench.BENCH_COUNT);
const run = async (n) => { for (let i = 0; i < n; i++) { try { await handler(structuredClone(event), context); } catch {} } };
if (bench.BENCH_BURST) {
  // A burst as Lambda would see it: one sign-up after another, nothing kept between them.
  await run(count);
  writeFileSync(bench.BENCH_RESULT, JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  await run(20000);
  const copies = Array.from({ length: count }, () => structuredClone(event));
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) { try { await handler(copies[i], context); } catch {} }
  const micros = Number(process.hrtime.bigint() - started) / 1e3 / count;
  writeFileSync(bench.BENCH_RESULT, JSON.stringify({ micros }));
}
`;

// One HTTP request to the endpoint from a fresh process, the way the lookup's first request goes.
// With BENCH_IMPORT_FIRST, node:http is loaded before the clock starts, as a lookup the function
// loaded during init finds it: then the figure is the first request alone (a new connection).
const RAW_REQUEST_SCRIPT = `${TAKE_BENCH_VARIABLES}
import { writeFileSync } from 'node:fs';
const early = bench.BENCH_IMPORT_FIRST ? await import('node:http') : undefined;
const started = performance.now();
const { request } = early ?? await import('node:http');
await new Promise((resolve, reject) => {
  const req = request(bench.BENCH_ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1' } }, (res) => { res.resume(); res.on('end', resolve); });
  req.on('error', reject);
  req.end('{}');
});
writeFileSync(bench.BENCH_RESULT, JSON.stringify({ totalMs: performance.now() - started }));
`;

// One MX query from a fresh process through node:dns, the way the lookup's first query goes: the
// module is loaded and the resolver made before the clock starts, as the function does during init.
const RAW_DNS_SCRIPT = `${TAKE_BENCH_VARIABLES}
import { writeFileSync } from 'node:fs';
const { Resolver } = await import('node:dns/promises');
const resolver = new Resolver({ timeout: 400, tries: 2 });
resolver.setServers([bench.BENCH_DNS_SERVER]);
const started = performance.now();
await resolver.resolveMx(bench.BENCH_DOMAIN);
writeFileSync(bench.BENCH_RESULT, JSON.stringify({ totalMs: performance.now() - started }));
`;

// Warm sign-ups in one process, each paired with a raw request over a kept-alive connection to the
// server the sign-up's lookup talks to. {i} in the event and the raw body becomes the sign-up's number,
// so that each has its own token or userName.
const WARM_PAIR_SCRIPT = `${TAKE_BENCH_VARIABLES}
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
const { handler } = await import(bench.BENCH_MODULE);
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 4000 };
const agent = new Agent({ keepAlive: true });
const headers = JSON.parse(bench.BENCH_RAW_HEADERS);
const raw = (i) => new Promise((resolve, reject) => {
  const req = request(bench.BENCH_RAW_URL, { method: 'POST', agent, headers }, (res) => { res.resume(); res.on('end', resolve); });
  req.on('error', reject);
  req.end(bench.BENCH_RAW_BODY.replaceAll('{i}', String(i)));
});
let refused = 0;
const signUp = async (i) => {
  try { await handler(JSON.parse(bench.BENCH_EVENT.replaceAll('{i}', String(i))), context); } catch { refused++; }
};
await signUp('first'); await signUp('second'); await raw('first');
const refusedWarmingUp = refused;
const ours = [], raws = [];
const count = Number(bench.BENCH_COUNT);
for (let i = 0; i < count; i++) {
  let at = performance.now(); await signUp(i); ours.push(performance.now() - at);
  at = performance.now(); await raw(i); raws.push(performance.now() - at);
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
writeFileSync(bench.BENCH_RESULT, JSON.stringify({ signUpMs: median(ours), rawMs: median(raws), refused: refused - refusedWarmingUp }));
`;

const HELP = `Measures what the budgets are about, as a user feels it: cold starts in fresh processes, init under
AWS's runtime interface client, warm calls, a 100,000-entry rules document, the first lookups, a burst,
a CAPTCHA check against a stand-in verification server, a velocity limit counted in dynalite.
Figures go to stdout, progress to stderr; it takes a few minutes. Nothing asserts: every figure is a
median, and every comparison is paired.

  --node 22|24|host   the Node.js to measure on (default 22, fetched from npm on first use)
  --lambda-dir DIR    the function's files (default dist/lambda)
  --baseline-dir DIR  another build of the function (say, before a change): its cold starts run
                      alternately with this one's, in the same sitting, and are printed beside them
  --only cold-starts  measure the cold starts only (import + first invocation), about a minute
  --only email-domains  measure the email domain checks only (#32), about a minute
  --rounds N          rounds per figure, at least 3 (default 21)
  -h, --help          print this and do nothing else`;

let work = '';

await runTool('bench', async () => {
  const { values } = parseCommandLine(
    process.argv.slice(2),
    {
      node: { type: 'string', default: '22' },
      'lambda-dir': { type: 'string', default: LAMBDA_DIR },
      'baseline-dir': { type: 'string' },
      only: { type: 'string' },
      rounds: { type: 'string', default: '21' },
    },
    USAGE,
    HELP,
  );
  const runtime = values.node;
  if (!(RUNTIME_CHOICES as readonly string[]).includes(runtime)) throw new UsageError('--node must be 22, 24 or host.');
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 3) throw new UsageError('--rounds must be a whole number of at least 3.');
  const node = await nodeBinaryFor(runtime as RuntimeChoice);
  const lambdaDir = path.resolve(values['lambda-dir']);
  const ours = pathToFileURL(path.join(lambdaDir, 'index.mjs')).href;
  if (values.only !== undefined && values.only !== 'cold-starts' && values.only !== 'email-domains')
    throw new UsageError('--only must be cold-starts or email-domains.');
  const baselineDir = values['baseline-dir'] === undefined ? undefined : path.resolve(values['baseline-dir']);
  const baseline = baselineDir === undefined ? undefined : pathToFileURL(path.join(baselineDir, 'index.mjs')).href;
  const minimal = pathToFileURL(path.join(PROJECT_ROOT, 'bench/minimal-handler.mjs')).href;
  work = mkdtempSync(path.join(tmpdir(), 'pre-signup-bench-'));
  const script = (name: string, text: string) => {
    const file = path.join(work, name);
    writeFileSync(file, text);
    return file;
  };
  const coldStart = script('cold-start.mjs', COLD_START_SCRIPT);
  const sustained = script('sustained.mjs', SUSTAINED_SCRIPT);
  const rawRequest = script('raw-request.mjs', RAW_REQUEST_SCRIPT);
  const warmPair = script('warm-pair.mjs', WARM_PAIR_SCRIPT);
  const rawDns = script('raw-dns.mjs', RAW_DNS_SCRIPT);
  const event = JSON.stringify(SIGN_UP);
  // Progress on stderr, so that stdout holds only the figures: the whole run takes minutes.
  const started = Date.now();
  const step = (measuring: string) => {
    process.stderr.write(`bench: measuring ${measuring}… (${((Date.now() - started) / 1000).toFixed(0)} s so far)\n`);
  };
  const line = (label: string, figure: string, budget = '') => {
    process.stdout.write(`${label.padEnd(58)} ${figure.padEnd(24)} ${budget}\n`);
  };

  const signUpWith = (request: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    JSON.stringify({ ...SIGN_UP, ...top, request: { ...SIGN_UP.request, ...request } });

  // 7. CAPTCHA (#22): the first checked sign-up after a cold start, and a warm one, each against a
  // raw request to the verification stand-in on loopback.
  const benchCaptcha = async () => {
    step(`the first CAPTCHA-checked sign-up after a cold start, ${String(rounds)} rounds`);
    const captchaSecret = 'bench-captcha-secret';
    const standIn = await startCaptchaStandIn(captchaSecret);
    try {
      const verifyUrl = standIn.urlFor('recaptcha');
      const captcha = {
        ...LAMBDA_ENVIRONMENT,
        EXISTING_ACCOUNT_POLICY: 'ignore',
        CAPTCHA: 'recaptcha',
        CAPTCHA_SECRET: captchaSecret,
        CAPTCHA_VERIFY_URL: verifyUrl,
        BENCH_MODULE: ours,
      };
      const plainEnv = {
        ...LAMBDA_ENVIRONMENT,
        EXISTING_ACCOUNT_POLICY: 'ignore',
        BENCH_MODULE: ours,
        BENCH_EVENT: event,
      };
      const cold: Record<'raw' | 'checked' | 'plain', number[]> = { raw: [], checked: [], plain: [] };
      let refused = 0;
      for (let round = 0; round < rounds; round++) {
        const raw = await measure(node, rawRequest, { BENCH_ENDPOINT: verifyUrl, BENCH_IMPORT_FIRST: '1' });
        cold.raw.push(raw.totalMs ?? NaN);
        const checked = await measure(node, coldStart, {
          ...captcha,
          BENCH_EVENT: signUpWith({ validationData: { captchaToken: `cold-${String(round)}` } }),
        });
        cold.checked.push(checked.firstMs ?? NaN);
        refused += checked.refused ?? 0;
        cold.plain.push((await measure(node, coldStart, plainEnv)).firstMs ?? NaN);
      }
      if (refused > 0)
        throw new Error(`${String(refused)} CAPTCHA-checked cold sign-ups were refused: the figure would be wrong`);
      const over = median(cold.checked.map((value, index) => value - (cold.raw[index] ?? NaN)));
      const overBoth = median(
        cold.checked.map((value, index) => value - (cold.raw[index] ?? NaN) - (cold.plain[index] ?? NaN)),
      );
      line('first raw request to the CAPTCHA stand-in in a fresh process', `${median(cold.raw).toFixed(1)} ms`);
      line('first CAPTCHA-checked sign-up after a cold start', `${median(cold.checked).toFixed(1)} ms`);
      line('  over the raw request (paired)', `${over.toFixed(1)} ms`, checked(BUDGETS.firstCaptcha, over));
      line('  over the raw request and a first sign-up without it (paired)', `${overBoth.toFixed(1)} ms`);

      step('warm CAPTCHA-checked sign-ups, 5 processes of 200');
      const warm: Record<'checked' | 'raw', number[]> = { checked: [], raw: [] };
      for (let round = 0; round < 5; round++) {
        const figures = await measure(node, warmPair, {
          ...captcha,
          BENCH_EVENT: signUpWith({ validationData: { captchaToken: `warm-${String(round)}-{i}` } }),
          BENCH_COUNT: '200',
          BENCH_RAW_URL: verifyUrl,
          BENCH_RAW_HEADERS: JSON.stringify({ 'content-type': 'application/x-www-form-urlencoded' }),
          BENCH_RAW_BODY: `secret=${captchaSecret}&response=raw-${String(round)}-{i}`,
        });
        if ((figures.refused ?? 0) > 0)
          throw new Error('warm CAPTCHA-checked sign-ups were refused: the figure would be wrong');
        warm.checked.push(figures.signUpMs ?? NaN);
        warm.raw.push(figures.rawMs ?? NaN);
      }
      const warmOver = median(warm.checked.map((value, index) => value - (warm.raw[index] ?? NaN)));
      line('warm raw request to the stand-in (kept-alive connection)', `${median(warm.raw).toFixed(3)} ms`);
      line('warm CAPTCHA-checked sign-up', `${median(warm.checked).toFixed(3)} ms`);
      line('  over the raw request (paired)', `${warmOver.toFixed(3)} ms`, checked(BUDGETS.warmCaptcha, warmOver));
    } finally {
      await standIn.stop();
    }
  };

  // 9. Email domain checks (#32): the first sign-up whose domain is looked up in DNS after a cold
  // start, against the same first sign-up of a well-known domain (no lookup) and a raw MX query to
  // the same stand-in server; then a warm sign-up whose answer is cached, against one with the
  // check off. Each pair alternates in the same sitting.
  const benchEmailDomains = async () => {
    step(`the first call of the typo check after init, ${String(rounds)} rounds`);
    const typoOver: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const base = { ...LAMBDA_ENVIRONMENT, EXISTING_ACCOUNT_POLICY: 'ignore', BENCH_MODULE: ours, BENCH_EVENT: event };
      const withCheck = (await measure(node, coldStart, { ...base, EMAIL_TYPO_CHECK: 'true' })).firstMs ?? NaN;
      typoOver.push(withCheck - ((await measure(node, coldStart, base)).firstMs ?? NaN));
    }
    line(
      'first call of the typo check, over a first call without it',
      `${median(typoOver).toFixed(2)} ms`,
      checked(BUDGETS.firstTypoCheck, median(typoOver)),
    );

    step(`the first DNS-checked sign-up after a cold start, ${String(rounds)} rounds`);
    const dns = await startDnsStandIn(DNS_TEST_ZONE);
    try {
      const checking = {
        ...LAMBDA_ENVIRONMENT,
        EXISTING_ACCOUNT_POLICY: 'ignore',
        EMAIL_DELIVERABILITY: 'true',
        DNS_SERVERS: dns.server,
        BENCH_MODULE: ours,
      };
      const cold: Record<'raw' | 'checked' | 'wellKnown', number[]> = { raw: [], checked: [], wellKnown: [] };
      let refused = 0;
      for (let round = 0; round < rounds; round++) {
        const raw = await measure(node, rawDns, { BENCH_DNS_SERVER: dns.server, BENCH_DOMAIN: 'mail.example' });
        cold.raw.push(raw.totalMs ?? NaN);
        const looked = await measure(node, coldStart, {
          ...checking,
          BENCH_EVENT: signUpWith({ userAttributes: { email: 'alice@mail.example' } }),
        });
        cold.checked.push(looked.firstMs ?? NaN);
        const known = await measure(node, coldStart, {
          ...checking,
          BENCH_EVENT: signUpWith({ userAttributes: { email: 'alice@gmail.com' } }),
        });
        cold.wellKnown.push(known.firstMs ?? NaN);
        refused += (looked.refused ?? 0) + (known.refused ?? 0);
      }
      if (refused > 0)
        throw new Error(`${String(refused)} DNS-checked cold sign-ups were refused: the figure would be wrong`);
      const lookupOver = median(cold.checked.map((value, index) => value - (cold.wellKnown[index] ?? NaN)));
      const overRaw = median(
        cold.checked.map((value, index) => value - (cold.wellKnown[index] ?? NaN) - (cold.raw[index] ?? NaN)),
      );
      line('first raw MX query to the DNS stand-in in a fresh process', `${median(cold.raw).toFixed(2)} ms`);
      line('first sign-up with a DNS lookup after a cold start', `${median(cold.checked).toFixed(2)} ms`);
      line('  over the same sign-up of a well-known domain (paired)', `${lookupOver.toFixed(2)} ms`);
      line(
        '  the lookup over a raw MX query (paired)',
        `${overRaw.toFixed(2)} ms`,
        checked(BUDGETS.firstDnsLookup, overRaw),
      );

      step('warm sign-ups with a cached DNS answer, the disposable list, and neither, 5 rounds of 2,000');
      const warm: Record<'cached' | 'local' | 'off', number[]> = { cached: [], local: [], off: [] };
      const warmEvent = signUpWith({ userAttributes: { email: 'alice@mail.example' } });
      for (let round = 0; round < 5; round++) {
        const cached = await measure(node, sustained, { ...checking, BENCH_EVENT: warmEvent, BENCH_COUNT: '2000' });
        warm.cached.push(cached.micros ?? NaN);
        const off = await measure(node, sustained, {
          ...LAMBDA_ENVIRONMENT,
          EXISTING_ACCOUNT_POLICY: 'ignore',
          BENCH_MODULE: ours,
          BENCH_EVENT: warmEvent,
          BENCH_COUNT: '2000',
        });
        warm.off.push(off.micros ?? NaN);
        // A lookup that reads only the zip: the same round of the lookup loop, with no I/O.
        const local = await measure(node, sustained, {
          ...LAMBDA_ENVIRONMENT,
          EXISTING_ACCOUNT_POLICY: 'ignore',
          BLOCK_DISPOSABLE_EMAILS: 'true',
          BENCH_MODULE: ours,
          BENCH_EVENT: warmEvent,
          BENCH_COUNT: '2000',
        });
        warm.local.push(local.micros ?? NaN);
      }
      const cachedOver = median(warm.cached.map((value, index) => value - (warm.off[index] ?? NaN)));
      const overLocal = median(warm.cached.map((value, index) => value - (warm.local[index] ?? NaN)));
      line('warm sign-up with neither check', `${median(warm.off).toFixed(1)} µs`);
      line('warm sign-up with the disposable list (a local lookup)', `${median(warm.local).toFixed(1)} µs`);
      line('warm sign-up whose DNS answer is cached', `${median(warm.cached).toFixed(1)} µs`);
      line('  over neither check (paired): one round of the lookup loop', `${cachedOver.toFixed(1)} µs`);
      line(
        '  over the disposable list (paired)',
        `${overLocal.toFixed(1)} µs`,
        checked(BUDGETS.cachedDnsLookup, overLocal),
      );
    } finally {
      await dns.stop();
    }
  };

  // 8. Velocity limits (#23): a warm sign-up counted against one limit in dynalite, over one that is
  // not, against one raw UpdateItem of the same shape over a kept-alive connection (a round trip).
  const benchVelocity = async () => {
    step('warm sign-ups with one velocity limit and without, 5 pairs of processes of 200');
    const dynalite = await startDynalite();
    const dynamo = new DynamoDBClient({
      endpoint: dynalite.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await dynamo.send(
        new CreateTableCommand({
          TableName: 'bench-limits',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await waitUntilTableExists({ client: dynamo, maxWaitTime: 10, minDelay: 0.05 }, { TableName: 'bench-limits' });
      const date = '20260101T000000Z';
      const rawHeaders = {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.UpdateItem',
        'x-amz-date': date,
        authorization: `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      };
      const common = {
        ...LAMBDA_ENVIRONMENT,
        EXISTING_ACCOUNT_POLICY: 'ignore',
        AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
        BENCH_MODULE: ours,
        BENCH_COUNT: '200',
        BENCH_RAW_URL: dynalite.endpoint,
        BENCH_RAW_HEADERS: JSON.stringify(rawHeaders),
      };
      const figures: Record<'limited' | 'plain' | 'raw', number[]> = { limited: [], plain: [], raw: [] };
      for (let round = 0; round < 5; round++) {
        // Each round counts in its own pool's item, far below the limit.
        const pool = `us-east-1_bench${String(round)}`;
        const rawBody = JSON.stringify({
          TableName: 'bench-limits',
          Key: { pk: { S: `raw#${String(round)}` } },
          UpdateExpression: 'SET expiresAt = :exp ADD #users :u',
          ConditionExpression:
            'NOT contains(#users, :user) AND (attribute_not_exists(#users) OR size(#users) < :share)',
          ExpressionAttributeNames: { '#users': 'users' },
          ExpressionAttributeValues: {
            ':exp': { N: '1767229200' },
            ':u': { SS: ['user-{i}'] },
            ':user': { S: 'user-{i}' },
            ':share': { N: '1000' },
          },
        });
        for (const [name, settings] of [
          ['limited', { RATE_LIMITS: 'pool:1000/h', RATE_LIMIT_TABLE: 'bench-limits' }],
          ['plain', {}],
        ] as const) {
          const result = await measure(node, warmPair, {
            ...common,
            ...settings,
            BENCH_EVENT: signUpWith({}, { userPoolId: pool, userName: `user-${name}-{i}` }),
            BENCH_RAW_BODY: rawBody.replaceAll('raw#', `raw-${name}#`),
          });
          if ((result.refused ?? 0) > 0) throw new Error('sign-ups were refused: the figure would be wrong');
          figures[name].push(result.signUpMs ?? NaN);
          if (name === 'limited') figures.raw.push(result.rawMs ?? NaN);
        }
      }
      const over = median(figures.limited.map((value, index) => value - (figures.plain[index] ?? NaN)));
      const roundTrip = median(figures.raw);
      line('warm raw UpdateItem to dynalite (kept-alive connection)', `${roundTrip.toFixed(3)} ms`);
      line('warm sign-up without a velocity limit', `${median(figures.plain).toFixed(3)} ms`);
      line('warm sign-up with one velocity limit (pool:1000/h)', `${median(figures.limited).toFixed(3)} ms`);
      line(
        '  the limit over none (paired), against one round trip',
        `${over.toFixed(3)} ms`,
        `budget ${roundTrip.toFixed(3)} ms (one round trip): ${verdict(over, roundTrip)}`,
      );
    } finally {
      dynamo.destroy();
      await dynalite.stop();
    }
  };

  try {
    process.stdout.write(`Node ${runtime} (${node}); ${lambdaDir}; ${rounds} rounds; medians\n\n`);
    if (values.only === 'email-domains') {
      await benchEmailDomains();
      return 0;
    }

    // 1. Cold starts: import plus the first invocation, the first one macrotask after import as on
    // an on-demand cold start (#20: init does the work), in fresh processes, each paired against
    // the minimal contract run in the same round: with no settings and with #30's two domain
    // settings, and with a few local rules (no budget). With --baseline-dir, the other build runs
    // in the same rounds, so that before and after meet the same moments of a noisy machine.
    step(`cold starts, ${String(rounds)} rounds of ${baseline === undefined ? '5' : '8'} fresh processes`);
    type Variant = 'none' | 'domains' | 'rules';
    const variants: readonly (readonly [Variant, Record<string, string>])[] = [
      ['none', {}],
      ['domains', LOCAL_RULES],
      ['rules', FEW_LOCAL_RULES],
    ];
    const figuresOf = () => ({
      importMs: [] as number[],
      firstMs: [] as number[],
      totalMs: [] as number[],
      totalCpuMs: [] as number[],
    });
    const minimalRuns = figuresOf();
    const coldRuns: Record<'ours' | 'baseline', Record<Variant, ReturnType<typeof figuresOf>>> = {
      ours: { none: figuresOf(), domains: figuresOf(), rules: figuresOf() },
      baseline: { none: figuresOf(), domains: figuresOf(), rules: figuresOf() },
    };
    const coldStartOf = async (
      module: string,
      settings: Record<string, string>,
      into: ReturnType<typeof figuresOf>,
    ) => {
      const figures = await measure(node, coldStart, {
        ...LAMBDA_ENVIRONMENT,
        ...settings,
        BENCH_MODULE: module,
        BENCH_EVENT: event,
        BENCH_PAUSE_MS: '0',
      });
      into.importMs.push(figures.importMs ?? NaN);
      into.firstMs.push(figures.firstMs ?? NaN);
      into.totalMs.push(figures.totalMs ?? NaN);
      into.totalCpuMs.push(figures.totalCpuMs ?? NaN);
    };
    for (let round = 0; round < rounds; round++) {
      await coldStartOf(minimal, {}, minimalRuns);
      for (const [variant, settings] of variants) {
        await coldStartOf(ours, settings, coldRuns.ours[variant]);
        if (baseline !== undefined) await coldStartOf(baseline, settings, coldRuns.baseline[variant]);
      }
    }
    const overMinimal = (of: ReturnType<typeof figuresOf>) =>
      median(of.totalMs.map((value, index) => value - (minimalRuns.totalMs[index] ?? NaN)));
    const ratioToMinimal = (of: ReturnType<typeof figuresOf>) =>
      median(of.totalMs.map((value, index) => value / (minimalRuns.totalMs[index] ?? NaN)));
    line('import + first invocation: minimal contract (bench/)', `${median(minimalRuns.totalMs).toFixed(2)} ms`);
    const names: Record<Variant, string> = {
      none: 'no settings',
      domains: 'two domain settings',
      rules: 'a few local rules',
    };
    const printBuild = (label: string, of: Record<Variant, ReturnType<typeof figuresOf>>) => {
      for (const [variant] of variants) {
        const figures = of[variant];
        const over = overMinimal(figures);
        const budget =
          variant === 'none'
            ? BUDGETS.coldStartNoSettings
            : variant === 'domains'
              ? BUDGETS.coldStartWithRules
              : undefined;
        line(
          `${label}, ${names[variant]}: import, first invocation`,
          `${median(figures.importMs).toFixed(2)} ms, ${median(figures.firstMs).toFixed(3)} ms`,
          variant === 'rules' ? '' : checked(BUDGETS.firstAfterInit, median(figures.firstMs)),
        );
        line(
          '  import + first over the minimal contract (paired), ratio',
          `${over.toFixed(2)} ms, ×${ratioToMinimal(figures).toFixed(2)}`,
          budget === undefined ? '' : checked(budget, over),
        );
        const cpuOver = median(
          figures.totalCpuMs.map((value, index) => value - (minimalRuns.totalCpuMs[index] ?? NaN)),
        );
        line('  the same in CPU time (paired), no budget', `${cpuOver.toFixed(2)} ms`);
      }
    };
    printBuild('this function', coldRuns.ours);
    if (baseline !== undefined) printBuild('baseline', coldRuns.baseline);
    if (values.only === 'cold-starts') return 0;

    // 2. Init under the runtime client: this zip against an empty handler's.
    step(`init under the runtime client, ${String(rounds)} rounds`);
    const inits: Record<'empty' | 'ours' | 'rules', number[]> = { empty: [], ours: [], rules: [] };
    const emptyDir = mkdtempSync(path.join(work, 'empty-'));
    writeFileSync(path.join(emptyDir, 'index.mjs'), readFileSync(path.join(PROJECT_ROOT, 'bench/empty-handler.mjs')));
    let first = NaN;
    const warm: number[] = [];
    let peakRssMb = NaN;
    for (let round = 0; round < rounds; round++) {
      // #20's budget is for no settings; two local rules (which load the rules' file) are shown beside it.
      for (const [name, dir, settings] of [
        ['empty', emptyDir, {}],
        ['ours', lambdaDir, {}],
        ['rules', lambdaDir, LOCAL_RULES],
      ] as const) {
        const started = performance.now();
        const running = await startFunction(dir, settings, { node: runtime as RuntimeChoice, logFormat: 'JSON' });
        inits[name].push(performance.now() - started);
        if (name === 'rules' && round === 0) {
          let at = performance.now();
          await running.invoke(SIGN_UP);
          first = performance.now() - at;
          for (let i = 0; i < 300; i++) {
            at = performance.now();
            await running.invoke(SIGN_UP);
            warm.push(performance.now() - at);
          }
          peakRssMb = peakRssOf(running.pid);
        }
        await running.stop();
      }
    }
    const initOver = median(inits.ours.map((value, index) => value - (inits.empty[index] ?? NaN)));
    const initRatio = median(inits.ours) / median(inits.empty);
    line('init under the runtime client: empty handler', `${median(inits.empty).toFixed(1)} ms`);
    const rulesOver = median(inits.rules.map((value, index) => value - (inits.empty[index] ?? NaN)));
    line('init under the runtime client: this zip, no settings', `${median(inits.ours).toFixed(1)} ms`);
    line(
      '  this zip over the empty one (paired), and the ratio',
      `${initOver.toFixed(1)} ms, ×${initRatio.toFixed(3)}`,
      checked(BUDGETS.initNoSettings, initOver),
    );
    line('  with two local rules, over the empty one (paired)', `${rulesOver.toFixed(1)} ms`);
    line('first invocation through the Runtime API', `${first.toFixed(2)} ms`);
    line('warm invocation through the Runtime API (HTTP round trip)', `${median(warm).toFixed(3)} ms`);
    line('peak RSS of the function process after 301 invocations', `${peakRssMb.toFixed(1)} MB`);

    // 3. Warm, in-process: one invocation with its log line, and one decision.
    step('warm invocations in one process');
    const inProcess = [];
    for (let round = 0; round < 5; round++) {
      const figures = await measure(node, sustained, {
        ...LAMBDA_ENVIRONMENT,
        ...LOCAL_RULES,
        BENCH_MODULE: ours,
        BENCH_EVENT: event,
        BENCH_COUNT: '100000',
      });
      inProcess.push(figures.micros ?? NaN);
    }
    line(
      'warm invocation in-process, log line to /dev/null',
      `${median(inProcess).toFixed(2)} µs`,
      checked(BUDGETS.warmInvocation, median(inProcess)),
    );
    // The measuring scripts of the sources (scripts/bench-*.ts), each bundled to run in a fresh process.
    step('the measuring scripts of the sources');
    const bundleScript = async (name: string) => {
      const bundle = path.join(work, `${name}.mjs`);
      await esbuild.build({
        ...common,
        write: true,
        entryPoints: [path.join(PROJECT_ROOT, `scripts/${name}.ts`)],
        outfile: bundle,
      });
      return bundle;
    };
    const runFiveTimes = async (name: string) => {
      const bundle = await bundleScript(name);
      const runs = [];
      for (let round = 0; round < 5; round++) runs.push(await measure(node, bundle, {}));
      return runs;
    };
    const decisions = (await runFiveTimes('bench-decide')).map((figures) => figures.micros ?? NaN);
    line(
      'warm decision',
      `${(median(decisions) * 1000).toFixed(0)} ns`,
      checked(BUDGETS.warmDecision, median(decisions) * 1000),
    );

    // A rules document of 100,000 domains and 100,000 addresses: loading it, and deciding with it.
    step('a rules document of 100,000 domains and 100,000 addresses, 7 rounds');
    // As `npm run build -- --rules` puts it into the zip, its lists sorted (searched in place), and
    // as a document placed by hand (in a layer, say) may come, unsorted (made into Sets).
    const document = (sorted: boolean) => {
      const list = (make: (i: number) => string) => {
        const entries = Array.from({ length: 100_000 }, (_, i) => make(i));
        return sorted ? entries.sort() : entries;
      };
      return JSON.stringify({
        BLOCKED_EMAIL_DOMAINS: list((i) => `blocked-${String(i)}.example`),
        ALLOWED_EMAILS: list((i) => `partner.${String(i)}@partners.example`),
        ALLOWED_EMAIL_DOMAINS: ['example.com', '*.example.com'],
      });
    };
    // The two documents alternate, round by round, so that both meet the same moments of a noisy machine.
    const loader = await bundleScript('bench-rules-document');
    const files = { built: path.join(work, 'rules-sorted.json'), byHand: path.join(work, 'rules.json') };
    writeFileSync(files.built, document(true));
    writeFileSync(files.byHand, document(false));
    const runs: Record<keyof typeof files, Record<string, number>[]> = { built: [], byHand: [] };
    for (let round = 0; round < 7; round++) {
      runs.built.push(await measure(node, loader, { BENCH_RULES_FILE: files.built }));
      runs.byHand.push(await measure(node, loader, { BENCH_RULES_FILE: files.byHand }));
    }
    const medians = (of: Record<string, number>[]) => {
      const medianOf = (name: string) => median(of.map((figures) => figures[name] ?? NaN));
      return { loadMs: medianOf('loadMs'), parseMs: medianOf('parseMs'), micros: medianOf('micros') };
    };
    const built = medians(runs.built);
    const byHand = medians(runs.byHand);
    line(
      'rules document, 100,000 domains + 100,000 addresses: load',
      `${built.loadMs.toFixed(0)} ms`,
      checked(BUDGETS.rulesDocumentLoad, built.loadMs),
    );
    line('  reading and parsing the same file alone (the floor)', `${built.parseMs.toFixed(0)} ms`);
    line(
      '  a decision against it',
      `${(built.micros * 1000).toFixed(0)} ns`,
      checked(BUDGETS.rulesDocumentDecision, built.micros * 1000),
    );
    line('  the same lists unsorted (not from the build): load', `${byHand.loadMs.toFixed(0)} ms`);
    line('  a decision against it', `${(byHand.micros * 1000).toFixed(0)} ns`);

    // 4. The first ListUsers lookup after a cold start, over a raw HTTP round trip to the same endpoint.
    step(`the first ListUsers lookup after a cold start, ${String(rounds)} rounds`);
    const cognito = await listenOnLoopback(
      createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
          response.end('{"Users":[]}');
        });
      }),
    );
    try {
      const guard = {
        ...LAMBDA_ENVIRONMENT,
        EXISTING_ACCOUNT_POLICY: 'deny',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
        BENCH_MODULE: ours,
        BENCH_EVENT: event,
      };
      const lookup: Record<'raw' | 'atOnce' | 'afterInit' | 'plain', number[]> = {
        raw: [],
        atOnce: [],
        afterInit: [],
        plain: [],
      };
      for (let round = 0; round < rounds; round++) {
        lookup.raw.push((await measure(node, rawRequest, { BENCH_ENDPOINT: cognito.endpoint })).totalMs ?? NaN);
        lookup.atOnce.push((await measure(node, coldStart, guard)).firstMs ?? NaN);
        lookup.afterInit.push((await measure(node, coldStart, { ...guard, BENCH_PAUSE_MS: '300' })).firstMs ?? NaN);
        lookup.plain.push(
          (await measure(node, coldStart, { ...LAMBDA_ENVIRONMENT, BENCH_MODULE: ours, BENCH_EVENT: event })).firstMs ??
            NaN,
        );
      }
      const pairedOver = (values: number[]) =>
        median(values.map((value, index) => value - (lookup.raw[index] ?? NaN) - (lookup.plain[index] ?? NaN)));
      line('raw node:http round trip from a fresh process', `${median(lookup.raw).toFixed(1)} ms`);
      line('first sign-up with ListUsers, right after init', `${median(lookup.atOnce).toFixed(1)} ms`);
      line(
        '  its overhead over the raw round trip (paired)',
        `${pairedOver(lookup.atOnce).toFixed(1)} ms`,
        checked(BUDGETS.firstListUsers, pairedOver(lookup.atOnce)),
      );
      line('first sign-up with ListUsers, 300 ms after init (prewarmed)', `${median(lookup.afterInit).toFixed(1)} ms`);
      line(
        '  its overhead over the raw round trip (paired)',
        `${pairedOver(lookup.afterInit).toFixed(1)} ms`,
        checked(BUDGETS.firstListUsers, pairedOver(lookup.afterInit)),
      );
    } finally {
      await cognito.stop();
    }

    // 5. The first call of each lazy rule, right after init, over the same first call without it.
    step(`the first call of each lazy rule, ${String(rounds)} rounds`);
    const secret = 'bench-secret-of-at-least-32-characters';
    const lazyRules = {
      'the disposable list': { BLOCK_DISPOSABLE_EMAILS: 'true' },
      'signed invitations': { INVITE_REQUIRED: 'true', INVITE_SECRET: secret },
    };
    const FIRST_CALL_BUDGETS = {
      'the disposable list': BUDGETS.firstDisposableList,
      'signed invitations': BUDGETS.firstSignedInvitation,
    } as const;
    for (const [rule, settings] of Object.entries(lazyRules)) {
      const over: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const base = { ...LAMBDA_ENVIRONMENT, BENCH_MODULE: ours, BENCH_EVENT: event };
        const withRule = (await measure(node, coldStart, { ...base, ...settings })).firstMs ?? NaN;
        const without = (await measure(node, coldStart, base)).firstMs ?? NaN;
        over.push(withRule - without);
      }
      const budget = FIRST_CALL_BUDGETS[rule as keyof typeof FIRST_CALL_BUDGETS];
      line(
        `first call of ${rule}, over a first call without it`,
        `${median(over).toFixed(1)} ms`,
        checked(budget, median(over)),
      );
    }

    // 6. A burst: 20,000 sign-ups in one process, with each lazy rule on.
    step('a burst of 20,000 sign-ups per lazy rule');
    for (const [rule, settings] of Object.entries(lazyRules)) {
      const figures = await measure(node, sustained, {
        ...LAMBDA_ENVIRONMENT,
        ...settings,
        BENCH_MODULE: ours,
        BENCH_EVENT: event,
        BENCH_COUNT: '20000',
        BENCH_BURST: '1',
      });
      const rss = figures.maxRssMb ?? NaN;
      line(
        `20,000 sign-ups in one process with ${rule}: peak RSS`,
        `${rss.toFixed(1)} MB`,
        checked(BUDGETS.peakRss, rss),
      );
    }

    await benchCaptcha();
    await benchVelocity();
    await benchEmailDomains();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
});

/** The peak resident memory of a process, from Linux's /proc (VmHWM). */
function peakRssOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return match === null ? NaN : Number(match[1]) / 1024;
}
