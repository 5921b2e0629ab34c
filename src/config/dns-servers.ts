/**
 * `DNS_SERVERS`: the resolvers EMAIL_DELIVERABILITY asks instead of the system's (a VPC's own
 * resolver, a test's stand-in). Each entry is an IP address with an optional port, as node:dns's
 * `setServers` takes it: `10.0.0.2`, `10.0.0.2:53`, `2001:db8::53`, `[2001:db8::53]:5353`. No host
 * names: a resolver cannot be found by asking a resolver.
 */

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const PORT = /^[1-9]\d{0,4}$/;
// Hex groups and colons, at least two colons, optionally an IPv4 tail: checked whole by the URL parser below.
const IPV6_SHAPE = /^[0-9a-f:.]+$/i;

/** An entry as setServers takes it, or undefined when it is not an IP address with an optional port. */
export function readDnsServer(entry: string): string | undefined {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed !== null) {
    const [, address = '', port] = bracketed;
    if (!isIpv6(address) || (port !== undefined && !isPort(port))) return undefined;
    return text;
  }
  if (isIpv6(text)) return text;
  const colon = text.lastIndexOf(':');
  const [address, port] = colon < 0 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
  if (!IPV4.test(address) || (port !== undefined && !isPort(port))) return undefined;
  return text;
}

function isPort(text: string): boolean {
  return PORT.test(text) && Number(text) <= 65_535;
}

function isIpv6(text: string): boolean {
  if (!IPV6_SHAPE.test(text) || text.split(':').length < 3) return false;
  try {
    return new URL(`http://[${text}]/`).hostname !== '';
  } catch {
    return false;
  }
}
