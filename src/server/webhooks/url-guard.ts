// A subscription's URL is its actor's choice, and the server is the one that connects:
// without a guard, any token could make the server probe its own network (SSRF). Only
// http(s) is taken, and unless the operator allows private addresses
// (`--webhook-allow-private`), none that is loopback, private, link-local (cloud
// metadata lives there), carrier-grade NAT, multicast or unspecified: checked on the URL
// when subscribing, and again on the address the name resolves to at every connection
// (so a name that later resolves inward is refused then too).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(net, bits, 'ipv6');

/** Is this address one a webhook may not reach without --webhook-allow-private? */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    // An IPv4-mapped address (::ffff:127.0.0.1) is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

/** Why this URL may not be subscribed, or undefined when it may. */
export function refuseUrl(raw: string, allowPrivate: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `only http and https URLs are delivered to, not ${u.protocol.replace(/:$/, '')}`;
  if (allowPrivate) return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost'))
    return `${host} is this machine; private addresses are refused (the operator's --webhook-allow-private allows them)`;
  if (isIP(host) && isPrivateAddress(host))
    return `${host} is a loopback, private or link-local address; refused (the operator's --webhook-allow-private allows them)`;
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses a name resolving to a private address. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      const ok = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (ok.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`${hostname} resolves only to private addresses; refused`);
        e.code = 'EPRIVATE';
        return callback(e, '');
      }
      if ((options as { all?: boolean }).all) return callback(null, ok);
      callback(null, ok[0].address, ok[0].family);
    });
  };
}
