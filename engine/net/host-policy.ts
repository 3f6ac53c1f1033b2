// Guards every customer-supplied host (SSRF): parse strictly, resolve once, refuse anything but
// public unicast, and hand back the one vetted address the caller must connect to (pinning defeats
// DNS rebinding).
import net from 'node:net';
import type { Lookup } from './host-probe';

export type VetResult =
  | { ok: true; address: string; family: 4 | 6 }
  | { ok: false; reason: 'invalid_host' | 'not_resolvable' | 'forbidden_address'; message: string };

export interface HostPolicy {
  lookup: Lookup;
  /**
   * Loopback, private and link-local networks become acceptable (embedded default, tests); metadata
   * never does.
   */
  allowPrivateHosts: boolean;
}

/**
 * Why an address is not public unicast; `metadata` is refused even when private hosts are allowed.
 */
export type AddressClass =
  | 'public'
  | 'metadata'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'shared'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

const CLASS_WORDS: Record<Exclude<AddressClass, 'public'>, string> = {
  metadata: 'a cloud metadata address',
  loopback: 'a loopback address',
  private: 'a private-network address',
  link_local: 'a link-local address',
  shared: 'a carrier-grade NAT address (100.64.0.0/10)',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved address that is not publicly routable',
};

export async function vetHost(host: string, policy: HostPolicy): Promise<VetResult> {
  const parsed = parseHost(host);
  if (parsed.kind === 'invalid')
    return { ok: false, reason: 'invalid_host', message: parsed.message };
  if (parsed.kind === 'ip') {
    const verdict = judge(parsed.address, policy);
    if (verdict)
      return {
        ok: false,
        reason: 'forbidden_address',
        message: `${parsed.address} is ${CLASS_WORDS[verdict]}: ${refusal(verdict)}`,
      };
    return { ok: true, address: parsed.address, family: parsed.family };
  }

  let answers: string[];
  try {
    answers = await policy.lookup(parsed.name);
  } catch {
    answers = [];
  }
  if (answers.length === 0) {
    return {
      ok: false,
      reason: 'not_resolvable',
      message: `The host name "${parsed.name}" does not resolve to any address.`,
    };
  }
  const addresses = answers.map(parseIp);
  // Every answer must pass: a client library would happily fall back to a later one.
  for (const address of addresses) {
    if (!address)
      return {
        ok: false,
        reason: 'not_resolvable',
        message: `The host name "${parsed.name}" resolved to something that is not an IP address.`,
      };
    const verdict = judge(address.address, policy);
    // The resolved address itself is not echoed: that would map the engine's internal DNS for the
    // caller.
    if (verdict)
      return {
        ok: false,
        reason: 'forbidden_address',
        message:
          `The host name "${parsed.name}" resolves to ${CLASS_WORDS[verdict]}: ` +
          `${refusal(verdict)}`,
      };
  }
  const first = addresses[0]!;
  return { ok: true, address: first.address, family: first.family };
}

function refusal(verdict: Exclude<AddressClass, 'public'>): string {
  return verdict === 'metadata'
    ? 'the engine never connects to it.'
    : 'this engine only connects to public addresses. Use the database’s public host name, or ' +
        'ask the engine’s operator to allow private hosts (INLET_ALLOW_PRIVATE_HOSTS).';
}

function judge(address: string, policy: HostPolicy): Exclude<AddressClass, 'public'> | null {
  const verdict = classifyAddress(address);
  if (verdict === 'public') return null;
  if (verdict === 'metadata') return verdict;
  return policy.allowPrivateHosts ? null : verdict;
}

type ParsedHost =
  | { kind: 'ip'; address: string; family: 4 | 6 }
  | { kind: 'name'; name: string }
  | { kind: 'invalid'; message: string };

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Hosts as a customer types them: a name, an IPv4 address in any form inet_aton accepts, or an IPv6
 * literal.
 */
export function parseHost(input: string): ParsedHost {
  const host = input.trim();
  const invalid = (why: string): ParsedHost => ({
    kind: 'invalid',
    message: `"${input}" is not a valid host: ${why}.`,
  });
  if (host === '') return invalid('it is empty');
  if (host.startsWith('[') || host.endsWith(']')) {
    const inner = host.slice(1, -1);
    if (!host.startsWith('[') || !host.endsWith(']') || !net.isIPv6(inner) || inner.includes('%')) {
      return invalid('only an IPv6 address may stand in brackets');
    }
    return ipResult(inner);
  }
  if (host.includes(':')) {
    if (net.isIPv6(host) && !host.includes('%')) return ipResult(host);
    return invalid('write the port in the port field, not after the host');
  }
  const ipv4 = parseIpv4(host);
  if (ipv4 === 'invalid') return invalid('it looks like an IPv4 address but is not one');
  if (ipv4) return { kind: 'ip', address: ipv4, family: 4 };
  const name = host.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return invalid('a host name is made of letters, digits and hyphens separated by dots');
  }
  if (/^\d+$/.test(labels[labels.length - 1]!))
    return invalid('a host name cannot end in a number');
  return { kind: 'name', name };
}

function ipResult(ipv6: string): ParsedHost {
  const parsed = parseIp(ipv6);
  return parsed
    ? { kind: 'ip', ...parsed }
    : { kind: 'invalid', message: `"${ipv6}" is not a valid IPv6 address.` };
}

/**
 * A resolver's answer or an IP literal, normalised: IPv4-mapped IPv6 becomes the IPv4 address it
 * carries.
 */
function parseIp(text: string): { address: string; family: 4 | 6 } | null {
  if (net.isIPv4(text)) return { address: text, family: 4 };
  if (!net.isIPv6(text)) return null;
  const bytes = ipv6Bytes(text);
  if (!bytes) return null;
  if (isMappedIpv4(bytes)) return { address: bytes.slice(12).join('.'), family: 4 };
  return { address: formatIpv6(bytes), family: 6 };
}

/**
 * inet_aton's forms, which resolvers and many clients accept: `2130706433`, `0x7f000001`,
 * `0177.0.0.1`, `127.1`. Returns null when the text is not numeric at all (a host name), 'invalid'
 * when it is numeric but malformed.
 */
export function parseIpv4(text: string): string | null | 'invalid' {
  const parts = text.split('.');
  if (parts.length > 4 || !parts.every((part) => /^(?:0x[0-9a-f]*|\d+)$/i.test(part))) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (part.length > 1 && part.startsWith('0')) {
      if (!/^[0-7]+$/.test(part)) return 'invalid';
      value = parseInt(part, 8);
    } else value = parseInt(part, 10);
    if (!Number.isSafeInteger(value)) return 'invalid';
    values.push(value);
  }
  // Every part but the last is one byte; the last fills the remaining bytes.
  const last = values.pop()!;
  if (values.some((value) => value > 255) || last >= 256 ** (4 - values.length)) return 'invalid';
  let number = last;
  values.forEach((value, index) => {
    number += value * 256 ** (3 - index);
  });
  return [24, 16, 8, 0].map((shift) => Math.floor(number / 2 ** shift) % 256).join('.');
}

function ipv6Bytes(text: string): number[] | null {
  let head = text;
  let v4Tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    v4Tail = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    head = `${text.slice(0, lastColon + 1)}${v4Tail.length ? '0:0' : ''}`;
  }
  const [left, right, ...rest] = head.split('::');
  if (rest.length) return null;
  const groups = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const leftGroups = groups(left);
  const rightGroups = groups(right);
  const missing = 8 - leftGroups.length - rightGroups.length;
  if (right === undefined ? missing !== 0 : missing < 0) return null;
  const all = [
    ...leftGroups,
    ...Array<number>(right === undefined ? 0 : missing).fill(0),
    ...rightGroups,
  ];
  const bytes = all.flatMap((group) => [group >> 8, group & 0xff]);
  if (v4Tail.length) bytes.splice(12, 4, ...v4Tail);
  return bytes.length === 16 &&
    bytes.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)
    ? bytes
    : null;
}

function formatIpv6(bytes: number[]): string {
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // WHATWG URL serialisation gives the canonical compressed form.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

const isMappedIpv4 = (bytes: number[]) =>
  bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

interface Range {
  bytes: number[];
  bits: number;
  verdict: AddressClass;
}

const v4 = (cidr: string, verdict: AddressClass): Range => {
  const [address, bits] = cidr.split('/');
  return { bytes: address!.split('.').map(Number), bits: Number(bits), verdict };
};
const v6 = (cidr: string, verdict: AddressClass): Range => {
  const [address, bits] = cidr.split('/');
  return { bytes: ipv6Bytes(address!)!, bits: Number(bits), verdict };
};

// First match wins, so the metadata endpoints come before the link-local and ULA ranges that
// contain them.
const IPV4_RANGES: Range[] = [
  v4('169.254.169.254/32', 'metadata'), // AWS, GCP, Azure, OpenStack instance metadata
  v4('169.254.170.2/32', 'metadata'), // AWS ECS task credentials
  v4('100.100.100.200/32', 'metadata'), // Alibaba Cloud metadata
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link_local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'reserved'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'),
  v4('198.51.100.0/24', 'reserved'),
  v4('203.0.113.0/24', 'reserved'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const IPV6_RANGES: Range[] = [
  v6('fd00:ec2::254/128', 'metadata'), // AWS instance metadata over IPv6
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('64:ff9b:1::/48', 'private'),
  v6('100::/64', 'reserved'),
  v6('2001::/32', 'reserved'), // Teredo: the IPv4 it tunnels to is obfuscated
  v6('2001:db8::/32', 'reserved'),
  v6('fc00::/7', 'private'),
  v6('fe80::/10', 'link_local'),
  v6('fec0::/10', 'link_local'),
  v6('ff00::/8', 'multicast'),
];

function inRange(bytes: number[], range: Range): boolean {
  for (let bit = 0; bit < range.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[bit >> 3]! & mask) !== (range.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}

/**
 * Classifies a normalised IP address; IPv6 forms that carry an IPv4 address are judged by that
 * address.
 */
export function classifyAddress(address: string): AddressClass {
  if (net.isIPv4(address)) {
    const bytes = address.split('.').map(Number);
    return IPV4_RANGES.find((range) => inRange(bytes, range))?.verdict ?? 'public';
  }
  const bytes = ipv6Bytes(address);
  if (!bytes) return 'reserved';
  const fixed = IPV6_RANGES.find((range) => inRange(bytes, range))?.verdict;
  if (fixed) return fixed;
  const embedded = embeddedIpv4(bytes);
  return embedded ? classifyAddress(embedded) : 'public';
}

/**
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
 * (2002:AABB:CCDD::).
 */
function embeddedIpv4(bytes: number[]): string | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (isMappedIpv4(bytes) || zeros(0, 12)) return bytes.slice(12).join('.');
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    zeros(4, 12)
  )
    return bytes.slice(12).join('.');
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6).join('.');
  return null;
}
