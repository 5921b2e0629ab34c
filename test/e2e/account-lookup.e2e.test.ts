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
  // Such a name, shadowing the real holder of the address from AdminGetUser.
  {
    username: 'frank@example.com',
    status: 'CONFIRMED',
    attributes: { email: 'someone@example.com', email_verified: 'true' },
  },
  { username: 'frank', status: 'CONFIRMED', attributes: { email: 'frank@example.com', email_verified: 'true' } },
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

  it('asks ListUsers when AdminGetUser finds a user by another name, who may hide the holder', async () => {
    const before = cognito.calls.ListUsers.answered;
    expect(await lookups.holdsAlias(POOL, 'email', ['erin@example.com'], signal())).toBe(false);
    expect(await lookups.holdsAlias(POOL, 'email', ['frank@example.com'], signal())).toBe(true);
    expect(cognito.calls.ListUsers.answered - before).toBe(2);
    // A holder found directly costs no ListUsers call.
    expect(await lookups.holdsAlias(POOL, 'email', ['alice@example.com'], signal())).toBe(true);
    expect(cognito.calls.ListUsers.answered - before).toBe(2);
  });

  it('agrees with the ListUsers lookup wherever ListUsers can see the address', async () => {
    for (const email of ['Alice@Example.com', 'bob@example.com', 'carol@example.com', 'new@example.com']) {
      const listed = await lookups.hasExistingAccount(POOL, 'email', [email], signal());
      expect(await lookups.holdsAlias(POOL, 'email', [email], signal()), email).toBe(listed);
    }
  });

  it('outlasts a quota within its round, and says how often it was throttled', async () => {
    // A stand-in of its own, its quota untouched: eight calls at once against two a second, in a round
    // long enough for all (on a busy machine the calls may reach it spread out; at least six wait).
    const limited = await startQuotaCognito(USERS, { aliases: ['email'], quotas: { ListUsers: 30, AdminGetUser: 2 } });
    vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', limited.endpoint);
    try {
      const controller = new AbortController();
      startCallRound(controller.signal, Date.now() + 10_000);
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => lookups.holdsAlias(POOL, 'email', ['alice@example.com'], controller.signal)),
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
