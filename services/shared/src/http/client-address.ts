import { isIP, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

// The bindings @hono/node-server hands every request; absent for `app.request()` in-process.
type NodeBindings = { incoming?: unknown; server?: { incoming?: unknown } } | undefined;

/** The first 64 bits of an IPv6 address: one host or household is usually given a whole /64. */
function ipv6Prefix(address: string): string {
  const [head = '', tail] = address.replace(/%.*$/, '').split('::');
  // An embedded IPv4 tail ("::ffff:1.2.3.4") fills the last two groups.
  const groups = (part: string) =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : [];
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  const full = [...left, ...zeros, ...right];
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

function normalise(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  return isIPv6(address) ? ipv6Prefix(address) : address;
}

/**
 * Who sent a request, for per-client limits: the socket's peer address, or, behind
 * `trustedProxyHops` proxies, the address the outermost of them saw (each proxy appends its peer
 * to `X-Forwarded-For`, so it is that many entries from the right; anything further left is the
 * client's to write and is ignored). An IPv6 address is cut to its /64. Undefined when the request
 * has no socket (`app.request()` in tests).
 */
export function clientAddress(c: Context, trustedProxyHops = 0): string | undefined {
  const bindings = c.env as NodeBindings;
  const socket =
    (bindings?.server?.incoming ?? bindings?.incoming) ? getConnInfo(c).remote.address : undefined;
  const forwarded = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const fromProxy = trustedProxyHops > 0 ? forwarded[forwarded.length - trustedProxyHops] : undefined;
  const address = fromProxy && isIP(fromProxy) ? fromProxy : socket;
  return address && normalise(address);
}
