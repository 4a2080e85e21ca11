// The kinds of network a host is on, looked up, for the rules that judge where Shoebox connects on someone else's
// say (./addresses.ts judges an address; this finds a name's addresses).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { addressKind, type AddressKind } from './addresses.js';

/** The kinds of the addresses a URL's host resolves to; none when it does not resolve (a connection fails on its own). */
export async function hostKinds(hostname: string): Promise<Set<AddressKind>> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return new Set([addressKind(bare)]);
  const found = await new Promise<LookupAddress[]>((resolve) => dnsLookup(bare, { all: true }, (error, all) => resolve(error ? [] : all)));
  return new Set(found.map((address) => addressKind(address.address)));
}
