// What kind of network an IP address is on, for deciding whether Shoebox may connect to it on someone else's say
// (a provider's answer naming a URL). Pure: no lookups here. IPv6 forms that carry an IPv4 address (mapped,
// NAT64, 6to4) are judged by that address, so ::ffff:169.254.169.254 is the metadata service it names.
import { isIP } from 'node:net';

export type AddressKind = 'public' | 'private' | 'loopback' | 'link-local' | 'reserved';

export function addressKind(address: string): AddressKind {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets of a URL host, a zone id
  const version = isIP(ip);
  if (version === 4) return v4Kind(ip.split('.').map(Number));
  if (version === 6) {
    const bytes = v6Bytes(ip);
    if (bytes) return v6Kind(bytes);
  }
  return 'reserved'; // not an address: never connected to
}

function v4Kind([a = 0, b = 0, c = 0]: number[]): AddressKind {
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local'; // cloud metadata services live here
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT, a provider's own network
  if (a === 0 || a >= 224) return 'reserved'; // "this network", multicast, 240/4, broadcast
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved'; // IETF protocol assignments, documentation
  if ((a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved';
  return 'public';
}

function v6Kind(bytes: number[]): AddressKind {
  const word = (i: number) => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!;
  const zeroUpTo = (n: number) => bytes.slice(0, n).every((b) => b === 0);
  const v4At = (i: number) => v4Kind(bytes.slice(i, i + 4));
  if (zeroUpTo(15)) return bytes[15] === 1 ? 'loopback' : 'reserved'; // ::1, ::
  if (zeroUpTo(10) && word(5) === 0xffff) return v4At(12); // ::ffff:a.b.c.d
  if (zeroUpTo(12)) return 'reserved'; // IPv4-compatible, deprecated
  if (word(0) === 0x64 && word(1) === 0xff9b && word(2) === 0 && word(3) === 0 && word(4) === 0 && word(5) === 0) return v4At(12); // NAT64
  if (word(0) === 0x2002) return v4At(2); // 6to4
  if ((word(0) & 0xffc0) === 0xfe80) return 'link-local';
  if ((word(0) & 0xfe00) === 0xfc00) return 'private'; // unique local (AWS's fd00:ec2::254 metadata too)
  if (bytes[0] === 0xff) return 'reserved'; // multicast
  if (word(0) === 0x2001 && word(1) === 0x0db8) return 'reserved'; // documentation
  if (word(0) === 0x0100 && word(1) === 0 && word(2) === 0 && word(3) === 0) return 'reserved'; // discard
  return 'public';
}

/** The 16 bytes of an IPv6 address (already checked by isIP), an embedded dotted IPv4 tail included. */
function v6Bytes(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1]!.split('.').map(Number));
    text = text.slice(0, -dotted[1]!.length) + '0:0';
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const groups = (part: string) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return null;
  const words = [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16));
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * Whether an address may be connected to for a URL a provider answered with: public ones always; loopback and
 * private ones only where the provider itself is (a GPU box on the LAN keeps its images next to it); link-local
 * (cloud metadata) and reserved ones never.
 */
export function mayConnect(kind: AddressKind, providerKinds: ReadonlySet<AddressKind>): boolean {
  if (kind === 'public') return true;
  if (kind === 'loopback' || kind === 'private') return providerKinds.has(kind);
  return false;
}

/** Whether `host` matches an allow-list entry: the host itself, or `*.example.com` for any name under it. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? name.endsWith(p.slice(1)) && name.length > p.length - 1 : name === p;
  });
}
