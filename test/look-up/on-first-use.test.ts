import { afterEach, describe, expect, it, vi } from 'vitest';
import { configOf, readInput } from '../helpers/fixtures.js';

afterEach(() => {
  vi.doUnmock('../../src/look-up/lazy/gather-facts.js');
  vi.resetModules();
});

const input = readInput({
  userPoolId: 'us-east-1_EXAMPLE',
  request: { userAttributes: { email: 'a@mailinator.com' } },
});
const config = configOf({ BLOCK_DISPOSABLE_EMAILS: 'true' });

describe('gatherFactsOnFirstUse', () => {
  it('loads the lazy lookups on first use and answers through them', async () => {
    const { gatherFactsOnFirstUse } = await import('../../src/look-up/on-first-use.js');
    expect(await gatherFactsOnFirstUse(['disposableEmail'], input, config, 1000)).toEqual({
      facts: { disposableEmail: true },
      failures: [],
      warnings: [],
    });
  });

  // A mock, because what is simulated is a file missing from a broken deployment, which no emulator does.
  it('reports every lookup as a permanent failure when the lazy file cannot be loaded, and tries again next time', async () => {
    vi.doMock('../../src/look-up/lazy/gather-facts.js', () => {
      throw new Error('Cannot find module');
    });
    const { gatherFactsOnFirstUse } = await import('../../src/look-up/on-first-use.js');
    expect(await gatherFactsOnFirstUse(['disposableEmail', 'existingAccountForEmail'], input, config, 1000)).toEqual({
      facts: { disposableEmail: 'permanent-failure', existingAccountForEmail: 'permanent-failure' },
      failures: ['disposableEmail', 'existingAccountForEmail'].map((lookup) => ({
        lookup,
        error: 'ModuleLoadError',
        kind: 'permanent-failure',
        fix: 'a file of the zip could not be loaded: deploy dist/pre-signup.zip exactly as built',
      })),
      warnings: [],
    });
    vi.doUnmock('../../src/look-up/lazy/gather-facts.js');
    expect((await gatherFactsOnFirstUse(['disposableEmail'], input, config, 1000)).facts).toEqual({
      disposableEmail: true,
    });
  });

  it('forgets a prewarm whose lazy file failed to load, so the first sign-up tries again', async () => {
    vi.doMock('../../src/look-up/lazy/gather-facts.js', () => {
      throw new Error('Cannot find module');
    });
    const { gatherFactsOnFirstUse, prewarmLookups } = await import('../../src/look-up/on-first-use.js');
    await expect(prewarmLookups(new Set(['disposableEmail']), config)).resolves.toBeUndefined();
    vi.doUnmock('../../src/look-up/lazy/gather-facts.js');
    expect((await gatherFactsOnFirstUse(['disposableEmail'], input, config, 1000)).facts).toEqual({
      disposableEmail: true,
    });
  });

  // A mock again: what is counted is whether init loads the lazy file at all.
  it('loads nothing at init when no rule asks for a lookup, and the lookups asked for when one does', async () => {
    let loads = 0;
    const prewarm = vi.fn(async () => undefined);
    vi.doMock('../../src/look-up/lazy/gather-facts.js', () => {
      loads++;
      return { prewarm, gatherFacts: vi.fn() };
    });
    const { prewarmLookups } = await import('../../src/look-up/on-first-use.js');
    await prewarmLookups(new Set(), configOf({}));
    expect(loads).toBe(0);
    const deny = configOf({ EXISTING_ACCOUNT_POLICY: 'deny' });
    await prewarmLookups(new Set(['existingAccountForEmail', 'existingAccountForPhone']), deny);
    expect(prewarm).toHaveBeenCalledWith(['existingAccountForEmail', 'existingAccountForPhone'], deny);
    expect(loads).toBe(1);
  });

  // A mock: a part of the zip missing from a broken deployment, which no emulator does.
  it('reports a lazy part that cannot be loaded as a permanent ModuleLoadError, and loads it again next time', async () => {
    vi.doMock('../../src/look-up/lazy/disposable-domains.js', () => {
      throw new Error('Cannot find module');
    });
    const { gatherFacts } = await import('../../src/look-up/lazy/gather-facts.js');
    expect(await gatherFacts(['disposableEmail'], input, config, 1000)).toEqual({
      facts: { disposableEmail: 'permanent-failure' },
      failures: [
        {
          lookup: 'disposableEmail',
          error: 'ModuleLoadError',
          kind: 'permanent-failure',
          fix: 'a file of the zip could not be loaded: deploy dist/pre-signup.zip exactly as built',
        },
      ],
      warnings: [],
    });
    vi.doUnmock('../../src/look-up/lazy/disposable-domains.js');
    expect((await gatherFacts(['disposableEmail'], input, config, 1000)).facts).toEqual({ disposableEmail: true });
  });
});
