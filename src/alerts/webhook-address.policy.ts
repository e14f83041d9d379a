/**
 * Which addresses a webhook may be sent to (SSRF defence). Pure functions; address classification is
 * ipaddr.js's (IANA special-purpose registries, RFC 6890), not regexes. Only global unicast passes: loopback,
 * private (RFC 1918), link-local (incl. cloud metadata 169.254.169.254), unique-local (fc00::/7), multicast,
 * unspecified, carrier-grade NAT, reserved, and every IPv6 form that embeds an IPv4 address (IPv4-mapped is
 * judged as the IPv4 address inside it; NAT64, 6to4 and Teredo are refused) are refused unless allowed.
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** WEBHOOK_ALLOWED_HOSTS, parsed: host names (exact, lower-case), single addresses and CIDR ranges. */
export interface WebhookAllowList {
  hostNames: string[];
  ranges: [Address, number][];
}

export const EMPTY_ALLOW_LIST: WebhookAllowList = { hostNames: [], ranges: [] };

/** Parses the comma-separated WEBHOOK_ALLOWED_HOSTS; `problem` names the first entry that is none of the three. */
export function parseAllowList(text: string): { allowList: WebhookAllowList; problem: string | null } {
  const allowList: WebhookAllowList = { hostNames: [], ranges: [] };
  for (const entry of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const bare = stripBrackets(entry);
    if (bare.includes('/')) {
      try {
        allowList.ranges.push(ipaddr.parseCIDR(bare));
      } catch {
        return { allowList: EMPTY_ALLOW_LIST, problem: `WEBHOOK_ALLOWED_HOSTS entry "${entry}" is not a valid CIDR range` };
      }
    } else if (ipaddr.isValid(bare)) {
      const address = ipaddr.parse(bare);
      allowList.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry)) {
      allowList.hostNames.push(entry.toLowerCase().replace(/\.$/, ''));
    } else {
      return { allowList: EMPTY_ALLOW_LIST, problem: `WEBHOOK_ALLOWED_HOSTS entry "${entry}" is not a host name, address or CIDR` };
    }
  }
  return { allowList, problem: null };
}

/** Null when `address` is a global unicast address; else the ipaddr.js range name that forbids it (`loopback`, `private`, …). */
export function forbiddenRange(address: string): string | null {
  const bare = stripBrackets(address);
  if (!ipaddr.isValid(bare)) return 'invalid';
  // process() turns ::ffff:a.b.c.d into a.b.c.d, so a mapped loopback is judged as loopback
  const parsed = ipaddr.process(bare);
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** Whether the allow list lets this host name or this address through (names compare exactly, case-insensitively). */
export function isAllowed(hostName: string, address: string, allowList: WebhookAllowList): boolean {
  if (allowList.hostNames.includes(stripBrackets(hostName).toLowerCase().replace(/\.$/, ''))) return true;
  const bare = stripBrackets(address);
  if (!ipaddr.isValid(bare)) return false;
  const candidates = [ipaddr.parse(bare), ipaddr.process(bare)];
  return allowList.ranges.some(([range, bits]) =>
    candidates.some((candidate) => candidate.kind() === range.kind() && candidate.match(range, bits)),
  );
}

/**
 * Why `address` (one that `hostName` resolved to) may not be called, or null when it may.
 * Every address a name resolves to is checked by the caller, and the connection goes to a checked one.
 */
export function refusalReason(hostName: string, address: string, allowList: WebhookAllowList): string | null {
  const range = forbiddenRange(address);
  if (range === null || isAllowed(hostName, address, allowList)) return null;
  return `${stripBrackets(address)} is a ${range} address (allow it with WEBHOOK_ALLOWED_HOSTS)`;
}

/** The URL's host as an address literal (IPv6 without brackets), or null when it is a name. */
export function addressLiteral(hostName: string): string | null {
  const bare = stripBrackets(hostName);
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : null;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
