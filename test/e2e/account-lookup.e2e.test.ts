import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCallRound, throttledIn } from '../../src/look-up/lazy/call-round.js';
import { type QuotaCognito, type StandInUser, startQuotaCognito } from '../helpers/quota-cognito.js';

// The guard's two lookups in this process, against the stand-in Cognito (test/helpers/quota-cognito.ts:
// no emulator enforces quotas, and cognito-local's AdminGetUser does not resolve aliases), reached
// the standard way through AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER.

const POOL = 'us-east-1_Lookup';
const USERS: StandInUser[] = [
  { username: 'alice', status: 'CONFIRMED', attributes: { email: 'Alice@Example.com', email_verified: 'true' } },
  // A squatter: unconfirmed, the address unverified.
  { username: 'squat', status: 'UNCONFIRMED', attributes: { email: 'bob@example.com', email_verified: 'false' } },
  // Confirmed, but the address never proven (AUTO_VERIFY_EMAIL=false): no alias, holds nothing.
  { username: 'carol', status: 'CONFIRMED', attributes: { email: 'carol@example.com', email_verified: 'false' } },
  {
    username: 'dan',
    status: 'CONFIRMED',
    attributes: { phone_number: '+15550100', phone_number_verified: 'true', email: 'x@example.com' },
  },
  // A user whose user name looks like an address another user holds nothing of (a pool without the
  // email alias accepts such names): found by name, it holds nothing of the address.
  {
    username: 'erin@example.com',
    status: 'CONFIRMED',
    attributes: { email: 'erin.real@example.com', email_verified: 'true' },
  },
];

let cognito: QuotaCognito;
let lookups: typeof import('../../src/look-up/lazy/existing-account-lookup.js');

beforeAll(async () => {
  cognito = await startQuotaCognito(USERS, { aliases: ['email', 'phone_number'] });
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', cognito.endpoint);
  lookups = await import('../../src/look-up/lazy/existing-account-lookup.js');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await cognito.stop();
});

const signal = () => AbortSignal.timeout(5000);

describe('holdsAlias (AdminGetUser with the address as user name)', () => {
  it('finds the verified holder of an alias, in any letter case in a case-insensitive pool', async () => {
    expect(await lookups.holdsAlias(POOL, 'email', ['alice@example.com'], signal())).toBe(true);
    expect(await lookups.holdsAlias(POOL, 'phone_number', ['+15550100'], signal())).toBe(true);
  });

  it('finds nobody for a new address, a squatter’s or an unproven one: they hold nothing', async () => {
    for (const email of ['new@example.com', 'bob@example.com', 'carol@example.com']) {
      expect(await lookups.holdsAlias(POOL, 'email', [email], signal()), email).toBe(false);
    }
  });

  it('counts a user found by another name only if that user holds the address', async () => {
    expect(await lookups.holdsAlias(POOL, 'email', ['erin@example.com'], signal())).toBe(false);
  });

  it('agrees with the ListUsers lookup wherever ListUsers can see the address', async () => {
    for (const email of ['Alice@Example.com', 'bob@example.com', 'carol@example.com', 'new@example.com']) {
      const listed = await lookups.hasExistingAccount(POOL, 'email', [email], signal());
      expect(await lookups.holdsAlias(POOL, 'email', [email], signal()), email).toBe(listed);
    }
  });

  it('outlasts a quota within its round, and says how often it was throttled', async () => {
    // A stand-in of its own, its quota untouched: twelve calls at once against ten a second.
    const limited = await startQuotaCognito(USERS, { aliases: ['email'], quotas: { ListUsers: 30, AdminGetUser: 10 } });
    vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', limited.endpoint);
    try {
      const controller = new AbortController();
      startCallRound(controller.signal, Date.now() + 2500);
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => lookups.holdsAlias(POOL, 'email', ['alice@example.com'], controller.signal)),
      );
      expect(answers.every(Boolean)).toBe(true);
      expect(throttledIn(controller.signal)?.AdminGetUser).toBe(limited.calls.AdminGetUser.throttled);
      expect(limited.calls.AdminGetUser.throttled).toBeGreaterThan(0);
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', cognito.endpoint);
      await limited.stop();
    }
  });
});
