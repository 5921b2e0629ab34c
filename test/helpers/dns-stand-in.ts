import dns2 from 'dns2';

const { Packet, UDPServer } = dns2;

/**
 * How the stand-in answers for one domain. A domain it has no entry for does not exist (NXDOMAIN);
 * a record type an entry leaves out is answered with no records (NODATA).
 */
type DnsEntry =
  | {
      /** MX records; `{ exchange: '', priority: 0 }` is a null MX (RFC 7505). */
      readonly mx?: readonly { readonly exchange: string; readonly priority: number }[];
      readonly a?: readonly string[];
      readonly aaaa?: readonly string[];
    }
  /** Answer every query for the domain with this response code, or only those of `types` (NODATA to the rest). */
  | { readonly rcode: 'SERVFAIL' | 'REFUSED'; readonly types?: readonly ('MX' | 'A' | 'AAAA')[] }
  /** Receive the query and never answer. */
  | 'silent';

export interface DnsStandIn {
  /** `127.0.0.1:PORT`, as DNS_SERVERS and node:dns's setServers take it. */
  readonly server: string;
  /** Every query received, as `name TYPE` (`gmail.example MX`), in order. */
  readonly queries: string[];
  stop(): Promise<void>;
}

/**
 * A DNS server for tests (npm `dns2`, pure JavaScript), answering from `zone` over UDP on a free
 * loopback port: what a resolver says of existing, missing, broken and silent domains.
 */
export async function startDnsStandIn(zone: Readonly<Record<string, DnsEntry>>): Promise<DnsStandIn> {
  const queries: string[] = [];
  const server = new UDPServer((request, send) => {
    const [question] = request.questions;
    if (question === undefined) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    const type = Packet.typeName(question.type);
    queries.push(`${name} ${type}`);
    const entry = zone[name];
    if (entry === 'silent') return;
    const response = Packet.createResponseFromRequest(request);
    response.header.ra = 1;
    if (entry === undefined) {
      response.header.rcode = Packet.RCODE.NXDOMAIN;
    } else if ('rcode' in entry) {
      if (entry.types?.some((failing) => failing === type) ?? true) response.header.rcode = Packet.RCODE[entry.rcode];
    } else {
      const base = { name: question.name, class: Packet.CLASS.IN, ttl: 300 };
      if (type === 'MX') {
        for (const { exchange, priority } of entry.mx ?? []) {
          response.answers.push({ ...base, type: Packet.TYPE.MX, exchange, priority } as never);
        }
      } else if (type === 'A') {
        for (const address of entry.a ?? []) response.answers.push({ ...base, type: Packet.TYPE.A, address } as never);
      } else if (type === 'AAAA') {
        for (const address of entry.aaaa ?? []) {
          response.answers.push({ ...base, type: Packet.TYPE.AAAA, address } as never);
        }
      }
    }
    void send(response);
  });
  await server.listen(0, '127.0.0.1');
  const { port } = server.address();
  return {
    server: `127.0.0.1:${String(port)}`,
    queries,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The domains every DNS test answers about, one per case the check tells apart. */
export const DNS_TEST_ZONE: Readonly<Record<string, DnsEntry>> = {
  // The domain the check asks about before it believes a "no" (KNOWN_MAIL_DOMAIN): this resolver
  // answers public names. A zone without it is a resolver that denies everything.
  'gmail.com': { mx: [{ exchange: 'gmail-smtp-in.l.google.com', priority: 5 }] },
  'mail.example': { mx: [{ exchange: 'mx1.mail.example', priority: 10 }] },
  'null-mx.example': { mx: [{ exchange: '', priority: 0 }] },
  'address-only.example': { a: ['192.0.2.10'] },
  'v6-only.example': { aaaa: ['2001:db8::25'] },
  'nothing.example': {},
  'servfail.example': { rcode: 'SERVFAIL' },
  'silent.example': 'silent',
};
