import { createServer } from 'node:http';
import { listenOnLoopback, type LocalServer } from '../../tools/local/servers.js';

// A stand-in for the two Cognito operations the existing-account guard calls, ListUsers and
// AdminGetUser, that enforces Cognito's default request-rate quotas. No emulator enforces quotas
// (cognito-local and moto answer every call), so this is the one place a test can see what a burst
// does to the guard; what it answers otherwise follows Cognito's API reference.

/** A user of the stand-in pool: its user name, status and attributes (`email_verified` as 'true'/'false'). */
export interface StandInUser {
  readonly username: string;
  readonly status: 'CONFIRMED' | 'UNCONFIRMED' | 'FORCE_CHANGE_PASSWORD';
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Cognito's default quotas for the categories the guard's calls belong to, in requests a second
 * (per account and Region): `UserList` (ListUsers) and `UserRead` (AdminGetUser).
 */
const DEFAULT_QUOTAS = { ListUsers: 30, AdminGetUser: 120 } as const;
type Operation = keyof typeof DEFAULT_QUOTAS;

/** What the stand-in answered, by operation. */
export type CallCounts = Record<Operation, { answered: number; throttled: number }>;

export interface QuotaCognito extends LocalServer {
  readonly calls: CallCounts;
}

/**
 * A token bucket per quota category: it holds at most one second of requests and refills
 * continuously, so a steady rate at the quota passes and anything above it is throttled. AWS does
 * not publish its burst allowance; one second's worth is the assumption here.
 */
function tokenBucket(perSecond: number, now: () => number): () => boolean {
  let tokens = perSecond;
  let at = now();
  return () => {
    const time = now();
    tokens = Math.min(perSecond, tokens + ((time - at) / 1000) * perSecond);
    at = time;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/**
 * Starts the stand-in on a free loopback port. The pool has `aliases` as sign-in aliases and is
 * case-insensitive (the default for new pools): AdminGetUser finds a user by user name, or by an
 * alias attribute the user holds verified and confirmed, in any letter case. ListUsers filters
 * `attribute = "value"` exactly, as Cognito does. Past a quota, a call is answered as Cognito
 * answers it: 400 with `TooManyRequestsException`.
 */
export async function startQuotaCognito(
  users: readonly StandInUser[],
  options: { readonly aliases: readonly string[]; readonly quotas?: Readonly<Record<Operation, number>> },
): Promise<QuotaCognito> {
  const quotas = options.quotas ?? DEFAULT_QUOTAS;
  const now = () => performance.now();
  const admits: Record<Operation, () => boolean> = {
    ListUsers: tokenBucket(quotas.ListUsers, now),
    AdminGetUser: tokenBucket(quotas.AdminGetUser, now),
  };
  const calls: CallCounts = {
    ListUsers: { answered: 0, throttled: 0 },
    AdminGetUser: { answered: 0, throttled: 0 },
  };
  const describe = (user: StandInUser) => Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: Record<string, unknown>, errorType?: string) => {
        response.writeHead(status, {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amzn-RequestId': 'stand-in',
          ...(errorType === undefined ? {} : { 'X-Amzn-ErrorType': errorType }),
        });
        response.end(JSON.stringify(errorType === undefined ? body : { __type: errorType, ...body }));
      };
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.split('.').pop() ?? '';
      if (operation !== 'ListUsers' && operation !== 'AdminGetUser') {
        answer(400, { message: `${operation} is not served by this stand-in` }, 'InvalidParameterException');
        return;
      }
      if (!admits[operation]()) {
        calls[operation].throttled++;
        answer(400, { message: 'Rate exceeded' }, 'TooManyRequestsException');
        return;
      }
      calls[operation].answered++;
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (operation === 'ListUsers') {
        const filter = /^(\w+) = "((?:[^"\\]|\\.)*)"$/.exec(typeof input.Filter === 'string' ? input.Filter : '');
        if (filter === null) {
          answer(400, { message: 'Invalid filter' }, 'InvalidParameterException');
          return;
        }
        const [, attribute = '', quoted = ''] = filter;
        const value = quoted.replace(/\\(.)/g, '$1');
        const limit = typeof input.Limit === 'number' ? input.Limit : 60;
        const matching = users.filter((user) => user.attributes[attribute] === value);
        answer(200, {
          Users: matching.slice(0, limit).map((user) => ({
            Username: user.username,
            UserStatus: user.status,
            Enabled: true,
            Attributes: describe(user),
          })),
          ...(matching.length > limit ? { PaginationToken: 'more' } : {}),
        });
        return;
      }
      const name = (typeof input.Username === 'string' ? input.Username : '').toLowerCase();
      const found =
        users.find((user) => user.username.toLowerCase() === name) ??
        users.find(
          (user) =>
            user.status !== 'UNCONFIRMED' &&
            options.aliases.some(
              (alias) =>
                user.attributes[alias]?.toLowerCase() === name && user.attributes[`${alias}_verified`] === 'true',
            ),
        );
      if (found === undefined) {
        answer(400, { message: 'User does not exist.' }, 'UserNotFoundException');
        return;
      }
      answer(200, {
        Username: found.username,
        UserStatus: found.status,
        Enabled: true,
        UserAttributes: describe(found),
      });
    });
  });
  const listening = await listenOnLoopback(server);
  return { ...listening, calls };
}
