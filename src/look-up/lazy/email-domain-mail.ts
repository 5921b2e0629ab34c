// Loaded on first use only: node:dns, for EMAIL_DELIVERABILITY.
import { Resolver } from 'node:dns/promises';
import type { MailDomainAnswer } from '../../model/facts.js';
import { MAIL_DOMAIN_LOOKUP_MS } from '../../model/limits.js';

/** What DNS said of a domain, and the error code when it said nothing usable (`unknown`). */
interface MailDomainLookup {
  readonly answer: MailDomainAnswer;
  /**
   * The DNS error (`ESERVFAIL`, `ECONNREFUSED`…), `timeout`, or RESOLVER_DENIES_KNOWN_DOMAIN, when
   * the answer is `unknown`.
   */
  readonly error?: string | undefined;
}

/**
 * A domain that takes mail, asked about when the resolver says a domain does not exist or takes no
 * mail: a resolver that says the same of it denies public names (a DNS firewall's walled garden, an
 * internal-only forwarder), and its "no" about any domain says nothing. Gmail's, which is never
 * looked up otherwise (it is a well-known mailbox domain).
 */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export const KNOWN_MAIL_DOMAIN = 'gmail.com';

/** The `error` of a lookup whose "no" was not believed: the resolver denies KNOWN_MAIL_DOMAIN too. */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export const RESOLVER_DENIES_KNOWN_DOMAIN = `resolver-denies-${KNOWN_MAIL_DOMAIN}`;

/** Whether each resolver said KNOWN_MAIL_DOMAIN takes mail, kept as long as an answer. */
let knownDomainAnswers = new WeakMap<Resolver, { readonly takesMail: boolean; readonly until: number }>();

// One lookup per domain per container: answers are kept this long, and at most this many (the
// oldest go first), so that a flood of made-up domains cannot grow the container's memory.
const CACHE_MS = 10 * 60 * 1000;
const CACHE_ENTRIES = 1000;
const cache = new Map<string, { readonly answer: MailDomainAnswer; readonly until: number }>();

// Each query is tried twice per server, the second time after 400 ms of silence (a lost UDP
// packet); the lookup as a whole ends at MAIL_DOMAIN_LOOKUP_MS.
const RESOLVER_OPTIONS = { timeout: 400, tries: 2 } as const;

/**
 * Where mail to `domain` (as readDomain gives it) would go, as far as DNS says: its MX records,
 * else its A and AAAA records (RFC 5321 §5.1 delivers to the domain's own address when it has no
 * MX). Asks `servers` (DNS_SERVERS) instead of the system's resolvers when given. Ends within
 * MAIL_DOMAIN_LOOKUP_MS, or when `signal` aborts, with `unknown`. Never rejects. Only the domain is
 * sent anywhere.
 */
export async function mailDomainAnswerOf(
  domain: string,
  servers: readonly string[] | undefined,
  signal: AbortSignal,
  now: number = Date.now(),
): Promise<MailDomainLookup> {
  const cached = cache.get(domain);
  if (cached !== undefined) {
    if (cached.until > now) return { answer: cached.answer };
    cache.delete(domain);
  }
  const resolver = resolverFor(servers);
  const share = { timedOut: false };
  const cancel = () => resolver.cancel();
  const timer = setTimeout(() => {
    share.timedOut = true;
    cancel();
  }, MAIL_DOMAIN_LOOKUP_MS);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const said = await askDns(resolver, domain);
    const lookup = isDenial(said.answer) ? await believedDenial(said, resolver, now) : said;
    if (lookup.answer !== 'unknown') remember(domain, lookup.answer, now);
    // Silence: the share ran out, or the resolver's own tries did first (ETIMEOUT).
    return share.timedOut || lookup.error === 'ETIMEOUT' ? { answer: 'unknown', error: 'timeout' } : lookup;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancel);
  }
}

// One resolver per container (and DNS_SERVERS list), made at init: making the first one costs tens
// of milliseconds in a fresh process (measured by npm run bench), a query after it one round trip.
// Cancelling it on a time-out fails every query in flight on it; a container runs one sign-up at a
// time, and a cancelled query only admits (as `unknown`).
let shared: { readonly key: string; readonly resolver: Resolver } | undefined;

/** The resolver for `servers` (DNS_SERVERS), or the system's; made once. */
// Used through import() in lookups.ts, which the unused-exports check cannot follow.
// ts-unused-exports:disable-next-line
export function resolverFor(servers: readonly string[] | undefined): Resolver {
  const key = servers?.join(',') ?? '';
  if (shared?.key !== key) {
    const resolver = new Resolver(RESOLVER_OPTIONS);
    if (servers !== undefined) resolver.setServers(servers);
    shared = { key, resolver };
  }
  return shared.resolver;
}

async function askDns(resolver: Resolver, domain: string): Promise<MailDomainLookup> {
  try {
    const records = await resolver.resolveMx(domain);
    // RFC 7505: a null MX is the only MX of its domain, `0 .`, which node:dns gives as exchange ''.
    if (records.length > 0 && records.every(({ exchange }) => exchange === '' || exchange === '.')) {
      return { answer: 'null-mx' };
    }
    if (records.length > 0) return { answer: 'has-mail-server' };
  } catch (error) {
    const code = codeOf(error);
    // NXDOMAIN: the name does not exist at all.
    if (code === 'ENOTFOUND') return { answer: 'no-such-domain' };
    if (code !== 'ENODATA') return { answer: 'unknown', error: code };
  }
  // No MX: an A or AAAA record makes the domain its own mail server.
  const addresses = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
  if (addresses.some((result) => result.status === 'fulfilled' && result.value.length > 0)) {
    return { answer: 'has-mail-server' };
  }
  const errors = addresses.flatMap((result) => (result.status === 'rejected' ? [codeOf(result.reason)] : []));
  const other = errors.find((code) => code !== 'ENODATA' && code !== 'ENOTFOUND');
  return other === undefined ? { answer: 'no-mail-server' } : { answer: 'unknown', error: other };
}

/** A "no" DNS may be wrong about: the domain does not exist, or has neither MX nor address records. */
function isDenial(answer: MailDomainAnswer): boolean {
  return answer === 'no-such-domain' || answer === 'no-mail-server';
}

/**
 * A denial as it stands once KNOWN_MAIL_DOMAIN is asked about (once per resolver and CACHE_MS):
 * the denial itself when the resolver says that domain takes mail, else `unknown`, which admits.
 * A null MX is the domain's own word and is never doubted.
 */
async function believedDenial(denial: MailDomainLookup, resolver: Resolver, now: number): Promise<MailDomainLookup> {
  let known = knownDomainAnswers.get(resolver);
  if (known === undefined || known.until <= now) {
    const { answer, error } = await askDns(resolver, KNOWN_MAIL_DOMAIN);
    // Silence or an error: whether the resolver denies everything is not known, and neither is the domain.
    if (answer === 'unknown') return { answer, error };
    known = { takesMail: answer === 'has-mail-server', until: now + CACHE_MS };
    knownDomainAnswers.set(resolver, known);
  }
  return known.takesMail ? denial : { answer: 'unknown', error: RESOLVER_DENIES_KNOWN_DOMAIN };
}

function remember(domain: string, answer: MailDomainAnswer, now: number): void {
  if (cache.size >= CACHE_ENTRIES) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(domain, { answer, until: now + CACHE_MS });
}

/** A DNS error's code (`ESERVFAIL`…), never its message, which names the domain. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? code : 'UnknownDnsError';
}

/** Forgets every answer (tests: a cache test starts from none). */
export function forgetMailDomainAnswers(): void {
  cache.clear();
  knownDomainAnswers = new WeakMap();
}
