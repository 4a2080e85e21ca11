// Which redirects a model download follows. The hub answers a file's URL with a redirect to where the bytes are (its
// CDN, its Xet storage); a hub, a mirror or anyone on the way could as well send the download to a service on the
// LAN or a cloud metadata address. So a hop leaves the hub's own origin only for a host the hub is known to send
// downloads to or the admin allowed, never from https to http, never to an address kind the hub is not on
// (link-local, private, reserved: net/addresses.ts), and a download follows a bounded number of hops.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { addressKind, hostAllowed, mayConnect, type AddressKind } from '../net/addresses.js';

/**
 * Where huggingface.co sends downloads (2026): its own names and hf.co's — `cdn-lfs*.huggingface.co`, `cdn-lfs*.hf.co`,
 * `*.cdn.hf.co`, `cas-bridge.xethub.hf.co`, `transfer.xethub.hf.co`…; the list moves, the two domains stay.
 */
export const HUB_REDIRECT_HOSTS: readonly string[] = ['huggingface.co', '*.huggingface.co', 'hf.co', '*.hf.co'];

/** Hops one request may take (the hub: a renamed repository, then its CDN; two in practice). */
export const MAX_HUB_REDIRECTS = 5;

export interface RedirectPolicy {
  /** The hub or mirror the download started at: its origin is always followed. */
  endpoint: URL;
  /** Hosts beyond the hub's own and HUB_REDIRECT_HOSTS (SHOEBOX_HF_REDIRECT_HOSTS: a mirror's storage). */
  extraHosts: readonly string[];
}

/** Why a redirect from `from` to `to` is not followed, judged on the URLs alone; null: the addresses decide. */
export function redirectRefusal(from: URL, to: URL, policy: RedirectPolicy): string | null {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return `it leads to a ${to.protocol} URL`;
  if (from.protocol === 'https:' && to.protocol === 'http:') return `it goes from https to plain http (${to.origin})`;
  if (to.username || to.password) return `its URL carries credentials (${to.host})`;
  if (to.origin === policy.endpoint.origin) return null;
  const hosts = [policy.endpoint.hostname, ...HUB_REDIRECT_HOSTS, ...policy.extraHosts];
  if (!hostAllowed(to.hostname, hosts)) {
    return `it leads to ${to.origin}, neither the hub's host nor one the hub is known to send downloads to (SHOEBOX_HF_REDIRECT_HOSTS allows more)`;
  }
  return null;
}

/** The kinds of the addresses a host resolves to (none when it does not resolve: the connection fails on its own). */
async function kindsOf(hostname: string): Promise<AddressKind[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [addressKind(bare)];
  const found = await new Promise<LookupAddress[]>((resolve) => dnsLookup(bare, { all: true }, (error, all) => resolve(error ? [] : all)));
  return found.map((address) => addressKind(address.address));
}

/** Judges each hop of a download against one policy; the hub's own address kinds are looked up once. */
export class RedirectGuard {
  private endpointKinds: Promise<Set<AddressKind>> | null = null;

  constructor(private readonly policy: RedirectPolicy) {}

  /** Why the hop is refused, or null. A host that left the hub's origin is looked up, and each of its addresses judged. */
  async refusal(from: URL, to: URL): Promise<string | null> {
    const refused = redirectRefusal(from, to, this.policy);
    if (refused || to.origin === this.policy.endpoint.origin) return refused;
    this.endpointKinds ??= kindsOf(this.policy.endpoint.hostname).then((kinds) => new Set(kinds));
    const hubKinds = await this.endpointKinds;
    // a second lookup by fetch could answer otherwise (DNS rebinding): only for a name already allowed above
    for (const kind of await kindsOf(to.hostname)) {
      if (!mayConnect(kind, hubKinds)) return `it leads to ${to.origin}, on a ${kind} address, where the hub is not`;
    }
    return null;
  }
}
