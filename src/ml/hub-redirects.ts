// Which redirects a model download follows: net/redirects.ts's rule, with the hosts the hub answers a file's URL
// with (its CDN, its Xet storage) besides its own. A hub, a mirror or anyone on the way could as well send the
// download to a service on the LAN or a cloud metadata address: a hop leaves the hub's host only for a host the hub
// is known to send downloads to or the admin allowed, never from https to http, never to an address kind the hub is
// not on (link-local, private, reserved: net/addresses.ts), five hops at most.
import { MAX_REDIRECTS, RedirectGuard, type RedirectPolicy } from '../net/redirects.js';

/**
 * Where huggingface.co sends downloads (2026): its own names and hf.co's — `cdn-lfs*.huggingface.co`, `cdn-lfs*.hf.co`,
 * `*.cdn.hf.co`, `cas-bridge.xethub.hf.co`, `transfer.xethub.hf.co`…; the list moves, the two domains stay.
 */
export const HUB_REDIRECT_HOSTS: readonly string[] = ['huggingface.co', '*.huggingface.co', 'hf.co', '*.hf.co'];

/** Hops one request may take (the hub: a renamed repository, then its CDN; two in practice). */
export const MAX_HUB_REDIRECTS = MAX_REDIRECTS;

/**
 * The hub's or mirror's policy: its own host (any port, either scheme), HUB_REDIRECT_HOSTS, and `extraHosts`
 * (SHOEBOX_HF_REDIRECT_HOSTS: a mirror's storage).
 */
export function hubRedirectPolicy(endpoint: URL, extraHosts: readonly string[]): RedirectPolicy {
  return {
    endpoint,
    name: 'the hub',
    hosts: [endpoint.hostname, ...HUB_REDIRECT_HOSTS, ...extraHosts],
    refusedHost: "neither the hub's host nor one the hub is known to send downloads to (SHOEBOX_HF_REDIRECT_HOSTS allows more)",
  };
}

export function hubRedirectGuard(endpoint: URL, extraHosts: readonly string[]): RedirectGuard {
  return new RedirectGuard(hubRedirectPolicy(endpoint, extraHosts));
}
