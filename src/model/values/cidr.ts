/** IPv4 CIDR blocks: parsing, containment and overlap. Pure. */

export interface Ipv4Block {
  /** Network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefixLength: number;
}

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/** Parses `a.b.c.d/n`; returns the block, or a sentence saying what is wrong and how to fix it. */
export function parseCidr(text: string): Ipv4Block | string {
  const match = cidrPattern.exec(text);
  if (!match) return 'must be an IPv4 CIDR block such as 10.0.0.0/16';
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255)) return 'each address octet must be 0-255';
  if (prefixLength > 32) return 'the prefix length must be 0-32';
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0) >>> 0;
  const network = (address & maskOf(prefixLength)) >>> 0;
  if (network !== address) {
    return `host bits are set; the network address of this block is ${formatAddress(network)}/${prefixLength}`;
  }
  return { network, prefixLength };
}

export function blockSize(block: Ipv4Block): number {
  return 2 ** (32 - block.prefixLength);
}

export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return (
    inner.prefixLength >= outer.prefixLength &&
    (inner.network & maskOf(outer.prefixLength)) >>> 0 === outer.network
  );
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return contains(a, b) || contains(b, a);
}

/** True when the block covers every address (0.0.0.0/0). */
export function isOpenToInternet(text: string): boolean {
  const block = parseCidr(text);
  return typeof block !== 'string' && block.prefixLength === 0;
}
