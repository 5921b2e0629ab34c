import { describe, expect, it } from 'vitest';
import { createInvocationLogger, type InvocationLog } from '../../src/log/invocation-log.js';
import { errorName } from '../../src/model/error-name.js';

const RECORD: InvocationLog = {
  level: 'INFO',
  message: 'Sign-up refused',
  outcome: 'refused',
  code: 'EMAIL_DOMAIN_BLOCKED',
  rule: 'BLOCKED_EMAIL_DOMAINS',
  triggerSource: 'PreSignUp_SignUp',
  userPoolId: 'us-east-1_EXAMPLE',
  emailDomain: 'blocked.example',
  flags: undefined,
  wouldRefuse: undefined,
  dryRun: undefined,
  lookupFailures: [{ lookup: 'existingAccountForEmail', error: 'TimeoutError', kind: 'transient-failure' }],
  federatedLink: undefined,
  clientId: undefined,
  captcha: undefined,
  rateLimit: undefined,
  throttled: undefined,
  configProblems: undefined,
  warnings: undefined,
};
const NOW = Date.parse('2026-11-23T10:00:00.000Z');

function linesOf(options: { logLevel?: string; metricsNamespace?: string }, ...records: InvocationLog[]) {
  const written: string[] = [];
  const log = createInvocationLogger({
    functionName: 'PreSignUp',
    logLevel: options.logLevel,
    metricsNamespace: options.metricsNamespace,
    write: (line) => written.push(line),
    now: () => NOW,
  });
  for (const record of records) log(record, 'request-1');
  return written;
}

const EMF_UNITS = new Set(
  'Seconds Microseconds Milliseconds Bytes Kilobytes Megabytes Gigabytes Terabytes Bits Kilobits Megabits Gigabits Terabits Percent Count Bytes/Second Kilobytes/Second Megabytes/Second Gigabytes/Second Terabytes/Second Bits/Second Kilobits/Second Megabits/Second Gigabits/Second Terabits/Second Count/Second None'.split(
    ' ',
  ),
);

/**
 * What CloudWatch's Embedded Metric Format specification asks of a log line, as problems: a
 * top-level object with `_aws.Timestamp` (epoch milliseconds) and `_aws.CloudWatchMetrics`, each
 * directive with a Namespace, dimension sets of at most 30 keys that are string members of the same
 * object, and at most 100 metrics whose names are number members and whose units are valid.
 */
function emfProblems(line: string): string[] {
  const problems: string[] = [];
  const root = JSON.parse(line) as Record<string, unknown>;
  const aws = root._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (typeof aws !== 'object') return ['no _aws object'];
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp)) problems.push('Timestamp');
  if (!Array.isArray(aws.CloudWatchMetrics) || aws.CloudWatchMetrics.length === 0) return [...problems, 'directives'];
  for (const directive of aws.CloudWatchMetrics as Record<string, unknown>[]) {
    const { Namespace, Dimensions, Metrics } = directive;
    if (typeof Namespace !== 'string' || Namespace.length === 0 || Namespace.length > 255) problems.push('Namespace');
    if (!Array.isArray(Dimensions)) problems.push('Dimensions');
    for (const set of (Dimensions ?? []) as unknown[]) {
      if (!Array.isArray(set) || set.length > 30) problems.push(`dimension set ${JSON.stringify(set)}`);
      for (const key of (set ?? []) as unknown[]) {
        if (typeof key !== 'string' || typeof root[key] !== 'string') problems.push(`dimension ${String(key)}`);
      }
    }
    if (!Array.isArray(Metrics) || Metrics.length === 0 || Metrics.length > 100) problems.push('Metrics');
    for (const metric of (Metrics ?? []) as { Name?: unknown; Unit?: unknown }[]) {
      if (typeof metric.Name !== 'string' || typeof root[metric.Name] !== 'number') {
        problems.push(`metric ${JSON.stringify(metric.Name)}`);
      }
      if (metric.Unit !== undefined && (typeof metric.Unit !== 'string' || !EMF_UNITS.has(metric.Unit))) {
        problems.push(`unit ${JSON.stringify(metric.Unit)}`);
      }
    }
  }
  return problems;
}

describe('createInvocationLogger', () => {
  it('writes nothing at all for a line below the log level when there are no metrics', () => {
    expect(linesOf({ logLevel: 'WARN' }, RECORD)).toEqual([]);
  });

  it('cuts a long list of problems alone, with no warnings beside it', () => {
    const problems = Array.from({ length: 30 }, (_, index) => ({
      variable: `V${String(index)}`,
      received: 'x'.repeat(700),
      expected: 'y',
      kind: 'value' as const,
    }));
    const [line] = linesOf({ metricsNamespace: 'CognitoPreSignUp' }, { ...RECORD, configProblems: problems });
    expect(Buffer.byteLength(line ?? '')).toBeLessThanOrEqual(8192);
    expect(JSON.parse(line ?? '')).not.toHaveProperty('moreWarnings');
  });

  it('keeps every line within 8 KB with its metrics, listing fewer problems and warnings as they grow', () => {
    const issue = (index: number) => ({
      variable: `V${String(index)}`,
      received: 'x'.repeat(700),
      expected: 'y'.repeat(700),
      kind: 'value' as const,
    });
    for (const count of [3, 12, 400]) {
      const [line] = linesOf(
        { metricsNamespace: 'CognitoPreSignUp' },
        {
          ...RECORD,
          level: 'ERROR',
          configProblems: Array.from({ length: count }, (_, index) => issue(index)),
          warnings: Array.from({ length: count }, () => 'w'.repeat(3000)),
        },
      );
      expect(Buffer.byteLength(line ?? '')).toBeLessThanOrEqual(8192);
      const parsed = JSON.parse(line ?? '') as Record<string, unknown>;
      expect(parsed).toMatchObject({ SignUps: 1, _aws: expect.any(Object) as unknown });
      const listed = (parsed.configProblems as unknown[] | undefined)?.length ?? 0;
      expect(listed + Number(parsed.moreConfigProblems ?? 0)).toBe(count);
      const warned = (parsed.warnings as unknown[] | undefined)?.length ?? 0;
      expect(warned + Number(parsed.moreWarnings ?? 0)).toBe(count);
    }
  });

  it('measures a line in UTF-8 bytes: a warning of 2-, 3- or 4-byte characters is kept while it fits 8 KB, and dropped (counted) once it does not', () => {
    const lineWith = (warning: string) => {
      const [line = ''] = linesOf({ metricsNamespace: 'CognitoPreSignUp' }, { ...RECORD, warnings: [warning] });
      return { bytes: Buffer.byteLength(line), parsed: JSON.parse(line) as Record<string, unknown> };
    };
    const base = lineWith('').bytes;
    // é (U+00E9) 2 bytes; € (U+20AC) and ！ (U+FF01, above the surrogates) 3; 😀 (a surrogate pair) 4.
    for (const character of ['é', '€', '！', '😀']) {
      const bytesEach = Buffer.byteLength(character);
      // As many as fit with 8 bytes to spare, too many for three bytes per UTF-16 unit to fit: the
      // line must be measured.
      const fitting = Math.floor((8192 - base - 8) / bytesEach);
      expect((base + fitting * character.length) * 3).toBeGreaterThan(8192);
      const kept = lineWith(character.repeat(fitting));
      expect(kept.bytes).toBeLessThanOrEqual(8192);
      expect(kept.parsed).toMatchObject({ warnings: [character.repeat(fitting)] });
      expect(kept.parsed).not.toHaveProperty('moreWarnings');

      const dropped = lineWith(character.repeat(fitting + 8));
      expect(dropped.bytes).toBeLessThanOrEqual(8192);
      expect(dropped.parsed).not.toHaveProperty('warnings');
      expect(dropped.parsed).toMatchObject({ moreWarnings: 1, SignUps: 1 });
    }
  });

  it('writes one top-level JSON object per line, with the time, level, request and function first', () => {
    const [line] = linesOf({}, RECORD);
    expect(line).toMatch(
      /^\{"timestamp":"2026-11-23T10:00:00.000Z","level":"INFO","requestId":"request-1","function":"PreSignUp",/,
    );
    expect(line?.endsWith('}\n')).toBe(true);
    expect(line?.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line ?? '')).toMatchObject({
      outcome: 'refused',
      code: 'EMAIL_DOMAIN_BLOCKED',
      emailDomain: 'blocked.example',
    });
  });

  it('carries valid Embedded Metric Format: SignUps, LookupFailures, Throttled and WouldRefuse, in total, by outcome and by code', () => {
    const [line = ''] = linesOf({ metricsNamespace: 'CognitoPreSignUp' }, RECORD);
    expect(emfProblems(line)).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({
      _aws: {
        Timestamp: NOW,
        CloudWatchMetrics: [
          {
            Namespace: 'CognitoPreSignUp',
            Dimensions: [[], ['outcome'], ['outcome', 'code']],
            Metrics: [
              { Name: 'SignUps', Unit: 'Count' },
              { Name: 'LookupFailures', Unit: 'Count' },
              { Name: 'Throttled', Unit: 'Count' },
              { Name: 'WouldRefuse', Unit: 'Count' },
            ],
          },
        ],
      },
      SignUps: 1,
      LookupFailures: 1,
      Throttled: 0,
      WouldRefuse: 0,
    });
  });

  it('says what log-only rules would have refused: the codes in the line, WouldRefuse in total, and a line per code', () => {
    const wouldRefuse = ['DISPOSABLE_EMAIL', 'RATE_LIMITED', 'DISPOSABLE_EMAIL'] as const;
    const record = { ...RECORD, outcome: 'confirmed', code: undefined, wouldRefuse } as const;
    const [line = '', ...byCode] = linesOf({ metricsNamespace: 'CognitoPreSignUp' }, record);
    expect(emfProblems(line)).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({ outcome: 'confirmed', wouldRefuse, WouldRefuse: 3 });
    for (const extra of byCode) expect(emfProblems(extra)).toEqual([]);
    expect(byCode.map((extra) => JSON.parse(extra) as unknown)).toEqual([
      {
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            {
              Namespace: 'CognitoPreSignUp',
              Dimensions: [['code']],
              Metrics: [{ Name: 'WouldRefuse', Unit: 'Count' }],
            },
          ],
        },
        code: 'DISPOSABLE_EMAIL',
        WouldRefuse: 2,
      },
      expect.objectContaining({ code: 'RATE_LIMITED', WouldRefuse: 1 }),
    ]);
    // Below the log level the metrics still go out; without metrics the line still says it.
    expect(linesOf({ logLevel: 'ERROR', metricsNamespace: 'N' }, record)).toHaveLength(3);
    expect(linesOf({}, record).map((text) => JSON.parse(text) as unknown)).toEqual([
      expect.objectContaining({ wouldRefuse }),
    ]);
  });

  it('says when quotas bit: the throttled calls in the line, Throttled in total, and a line per operation', () => {
    const throttled = { AdminGetUser: 3, ListUsers: 1 };
    const [line = '', ...byOperation] = linesOf({ metricsNamespace: 'CognitoPreSignUp' }, { ...RECORD, throttled });
    expect(emfProblems(line)).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({ throttled, Throttled: 4 });
    expect(byOperation).toHaveLength(2);
    for (const extra of byOperation) expect(emfProblems(extra)).toEqual([]);
    expect(byOperation.map((extra) => JSON.parse(extra) as unknown)).toEqual([
      {
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            {
              Namespace: 'CognitoPreSignUp',
              Dimensions: [['operation']],
              Metrics: [{ Name: 'Throttled', Unit: 'Count' }],
            },
          ],
        },
        operation: 'AdminGetUser',
        Throttled: 3,
      },
      expect.objectContaining({ operation: 'ListUsers', Throttled: 1 }),
    ]);
    // Below the log level, the metrics still go out, the per-operation ones too.
    expect(linesOf({ logLevel: 'ERROR', metricsNamespace: 'N' }, { ...RECORD, throttled })).toHaveLength(3);
    // Without metrics, the line still says it.
    expect(linesOf({}, { ...RECORD, throttled }).map((text) => JSON.parse(text) as unknown)).toEqual([
      expect.objectContaining({ throttled }),
    ]);
  });

  it('leaves the code dimension out when there is no code, so every dimension it names is present', () => {
    const [line = ''] = linesOf(
      { metricsNamespace: 'CognitoPreSignUp' },
      { ...RECORD, outcome: 'confirmed', code: undefined, lookupFailures: undefined },
    );
    expect(emfProblems(line)).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [[], ['outcome']] }] },
      LookupFailures: 0,
    });
  });

  it('has a check of EMF that fails on what CloudWatch would reject', () => {
    const [line = ''] = linesOf({ metricsNamespace: 'CognitoPreSignUp' }, RECORD);
    const broken = JSON.parse(line) as Record<string, unknown>;
    delete broken.code;
    broken.SignUps = 'one';
    expect(emfProblems(JSON.stringify(broken))).toEqual(['dimension code', 'metric "SignUps"']);
    expect(emfProblems(JSON.stringify({ message: 'no metrics' }))).toEqual(['no _aws object']);
  });

  it('writes no metrics without a namespace', () => {
    expect(JSON.parse(linesOf({}, RECORD)[0] ?? '')).not.toHaveProperty('_aws');
  });

  it.each([
    ['WARN', 'INFO', false],
    ['WARN', 'WARN', true],
    ['error', 'WARN', false],
    ['DEBUG', 'INFO', true],
    ['nonsense', 'INFO', true],
  ] as const)('under AWS_LAMBDA_LOG_LEVEL=%s, writes a %s line: %s', (logLevel, level, written) => {
    const [line = ''] = linesOf({ logLevel }, { ...RECORD, level });
    expect(line === '' ? false : 'message' in (JSON.parse(line) as object)).toBe(written);
  });

  it('keeps the metrics of a line below the log level, on a line of their own', () => {
    const [line = ''] = linesOf({ logLevel: 'ERROR', metricsNamespace: 'CognitoPreSignUp' }, RECORD);
    expect(emfProblems(line)).toEqual([]);
    expect(JSON.parse(line)).toEqual({
      outcome: 'refused',
      code: 'EMAIL_DOMAIN_BLOCKED',
      SignUps: 1,
      LookupFailures: 1,
      Throttled: 0,
      WouldRefuse: 0,
      _aws: expect.any(Object),
    });
  });
});

describe('errorName', () => {
  it('gives an error’s name, and only the type of anything else thrown', () => {
    expect(errorName(new RangeError('a@example.com'))).toBe('RangeError');
    expect(errorName('a@example.com')).toBe('string');
    expect(errorName(undefined)).toBe('undefined');
  });
});
