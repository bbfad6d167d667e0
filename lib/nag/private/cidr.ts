/**
 * CIDR arithmetic for "open to the internet": ranges are compared as address intervals, so
 * `0.0.0.0/1` + `128.0.0.0/1`, `10.0.0.0/0` or `0:0:0:0:0:0:0:0/0` are seen for what they cover.
 */

/** One address range, [start, end] inclusive. */
export interface Range {
  readonly v6: boolean;
  readonly start: bigint;
  readonly end: bigint;
}

function ipv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n);
}

function ipv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
}

/** A CIDR block as a range (host bits cleared, as EC2 applies it), or undefined when it is not one. */
export function parseCidr(cidr: string): Range | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!m) return undefined;
  const v6 = m[1].includes(':');
  const bits = v6 ? 128 : 32;
  const prefix = Number(m[2]);
  const address = v6 ? ipv6(m[1]) : ipv4(m[1]);
  if (address === undefined || prefix > bits) return undefined;
  const size = 2n ** BigInt(bits - prefix);
  const start = (address / size) * size;
  return { v6, start, end: start + size - 1n };
}

const v4 = (cidr: string) => parseCidr(cidr)!;
/** IPv4 space that is not reachable from the internet (private, shared, loopback, link-local, multicast, reserved). */
const NON_PUBLIC_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3'].map(v4);
/** IPv6 global unicast space. */
const GLOBAL_V6 = parseCidr('2000::/3')!;

/** The number of addresses in the union of ranges, after clipping each to [lo, hi]. */
function unionSize(ranges: readonly Range[]): bigint {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let total = 0n;
  let curStart = -1n;
  let curEnd = -2n;
  for (const r of sorted) {
    if (r.start > curEnd + 1n) {
      if (curEnd >= curStart && curStart >= 0n) total += curEnd - curStart + 1n;
      curStart = r.start;
      curEnd = r.end;
    } else if (r.end > curEnd) {
      curEnd = r.end;
    }
  }
  if (curEnd >= curStart && curStart >= 0n) total += curEnd - curStart + 1n;
  return total;
}

function clip(r: Range, lo: bigint, hi: bigint): Range | undefined {
  const start = r.start > lo ? r.start : lo;
  const end = r.end < hi ? r.end : hi;
  return start <= end ? { v6: r.v6, start, end } : undefined;
}

/** How many internet-routable addresses the union of ranges covers (IPv4, IPv6 separately). */
export function publicAddresses(ranges: readonly Range[]): { v4: bigint; v6: bigint } {
  const fours = ranges.filter((r) => !r.v6);
  const all4 = unionSize(fours);
  const hidden4 = unionSize(NON_PUBLIC_V4.flatMap((n) => fours.map((r) => clip(r, n.start, n.end)).filter((x): x is Range => x !== undefined)));
  const sixes = ranges.filter((r) => r.v6).map((r) => clip(r, GLOBAL_V6.start, GLOBAL_V6.end)).filter((x): x is Range => x !== undefined);
  return { v4: all4 - hidden4, v6: unionSize(sixes) };
}

/**
 * Whether ranges together cover the internet in effect: at least a /8 worth of public IPv4
 * addresses (16,777,216), or a /32 worth of global unicast IPv6 addresses. A single office
 * address or a provider's block is not "the internet"; half of the address space is.
 */
export function coversInternet(ranges: readonly Range[]): boolean {
  const { v4: four, v6: six } = publicAddresses(ranges);
  return four >= 2n ** 24n || six >= 2n ** 96n;
}
