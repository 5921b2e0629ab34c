import { describe, expect, it } from 'vitest';
import { type LoadedConfig, loadConfig } from '../src/config/load-config.js';
import { containerConfigWithDocument } from '../src/config/document-config.js';
import { fixedConfiguration, warningsOncePerConfiguration } from '../src/look-up/configuration.js';
import { type HandlerDependencies, handlePreSignUp } from '../src/handler.js';
import { gatherFacts } from '../src/look-up/lazy/gather-facts.js';
import { createInvocationLogger } from '../src/log/invocation-log.js';
import { loadEvent } from './helpers/events.js';

/** A logger that keeps the lines it writes, without metrics. */
function loggerInto(written: string[]) {
  return createInvocationLogger({
    functionName: undefined,
    logLevel: undefined,
    metricsNamespace: undefined,
    write: (line) => written.push(line),
  });
}

/** Dependencies whose warnings are given out once, as the real handler's are, and the lines logged. */
function onceWarning(env: Record<string, string>): {
  loaded: LoadedConfig;
  dependencies: HandlerDependencies;
  lines: () => unknown[];
} {
  const loaded = loadConfig(env);
  const written: string[] = [];
  let warned = false;
  return {
    loaded,
    dependencies: {
      configuration: fixedConfiguration({ loaded, byClient: new Map(), clientWarnings: [] }),
      gather: gatherFacts,
      log: loggerInto(written),
      warnOnce: () => {
        if (warned) return [];
        warned = true;
        return loaded.warnings;
      },
    },
    lines: () => written.map((line) => JSON.parse(line) as unknown),
  };
}

async function invoke(event: unknown, dependencies: HandlerDependencies): Promise<void> {
  await handlePreSignUp(event, undefined, dependencies).catch(() => undefined);
}

describe('the settings’ warnings (the alias takeover with defaults)', () => {
  it('stay off an EVENT_INVALID line, and come once, on the first sign-up after it', async () => {
    const { loaded, dependencies, lines } = onceWarning({});
    expect(loaded.warnings).toEqual([expect.stringContaining('alias takeover')]);
    await invoke('not an object', dependencies);
    await invoke(loadEvent('sign-up.json'), dependencies);
    await invoke(loadEvent('sign-up.json'), dependencies);
    const [invalid, first, second] = lines();
    expect(invalid).toMatchObject({ code: 'EVENT_INVALID' });
    expect(invalid).not.toHaveProperty('warnings');
    expect(first).toMatchObject({ outcome: 'confirmed', warnings: [expect.stringContaining('alias takeover')] });
    expect(second).not.toHaveProperty('warnings');
  });

  it('stay off CONFIG_INVALID lines', async () => {
    // AUTO_CONFIRM is bad; the phone is still verified, which is what the alias warning is about.
    const { loaded, dependencies, lines } = onceWarning({ AUTO_CONFIRM: 'yes' });
    expect(loaded.warnings).toEqual([expect.stringContaining('alias takeover')]);
    await invoke(loadEvent('sign-up.json'), dependencies);
    await invoke(loadEvent('sign-up.json'), dependencies);
    expect(lines()).toEqual([
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    ]);
    expect(lines().filter((line) => Object.hasOwn(line as object, 'warnings'))).toEqual([]);
  });
});

// Attacker's review (#29): a document from RULES_PARAMETER whose app client admits more than the
// top level was never warned about: the handler logged only the cold start's warnings.
describe('the warnings of a rules document read from SSM', () => {
  it('are logged once for each document read, on its first sign-up', async () => {
    const documentOf = (domain: string) =>
      containerConfigWithDocument(
        { EXISTING_ACCOUNT_POLICY: 'ignore' },
        JSON.stringify({
          ALLOWED_EMAILS: ['kim@good.test'],
          clients: { client2: { ALLOWED_EMAIL_DOMAINS: [domain] } },
        }),
        'RULES_PARAMETER',
      );
    let current = documentOf('evil.test');
    const written: string[] = [];
    const dependencies: HandlerDependencies = {
      configuration: () => Promise.resolve(current),
      gather: gatherFacts,
      log: loggerInto(written),
      warnOnce: warningsOncePerConfiguration(),
    };
    const signUp = () => invoke(loadEvent('sign-up.json'), dependencies);
    await signUp();
    await signUp();
    current = documentOf('other.test'); // a refresh read a changed document
    await signUp();
    const warned = written.map((line) => (JSON.parse(line) as { warnings?: string[] }).warnings);
    expect(warned).toEqual([
      [expect.stringContaining('clients.client2 admits more than the top level through ALLOWED_EMAIL_DOMAINS')],
      undefined,
      [expect.stringContaining('clients.client2 admits more than the top level through ALLOWED_EMAIL_DOMAINS')],
    ]);
  });
});
