// Which redirects Shoebox follows, for every request it makes where a setting says (a caption or image provider, the
// model hub, the CLI's server). fetch follows any redirect by default, to any host: a provider, or anything on the
// way to it, could send a photo's preview, a search query or an API key to another host, a service on the LAN or a
// cloud metadata address. So one rule for all of them: a hop is followed within the origin the setting names; off it
// only to a host the policy names (the hub's download hosts; a provider's: none), never from https to http, never to
// a link-local, private or reserved address the endpoint is not on (./addresses.ts), five hops at most; and a
// request's body and credentials never leave that origin: a request with a body is not followed off it, and only
// the headers below go with a GET that is. A refused hop fails the request with the reason (origins only: a
// presigned URL's signature or a key in a query string is never shown).
import { hostAllowed, mayConnect, type AddressKind } from './addresses.js';
import { hostKinds } from './host-kinds.js';

/** Hops one request may take. */
export const MAX_REDIRECTS = 5;

export interface RedirectPolicy {
  /** The URL the setting names: its origin is always followed. */
  endpoint: URL;
  /** Who is at the endpoint, in reasons: `the hub`, `the provider`, `the server`. */
  name: string;
  /**
   * Hosts off the endpoint's origin a hop may lead to (`*.example.com` for names under it), or `any` for a client
   * whose server may send it to storage it names itself (the CLI, to an original's presigned link).
   */
  hosts: readonly string[] | 'any';
  /** Said after `it leads to <origin>, ` when a host is refused: why, and which setting allows more, if any. */
  refusedHost?: string;
}

export class RedirectRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`a redirect was not followed: ${reason}`);
    this.name = 'RedirectRefusedError';
  }
}

/** Why a redirect from `from` to `to` is not followed, judged on the URLs alone; null: the addresses decide. */
export function redirectRefusal(from: URL, to: URL, policy: RedirectPolicy): string | null {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return `it leads to a ${to.protocol} URL`;
  if (from.protocol === 'https:' && to.protocol === 'http:') return `it goes from https to plain http (${to.origin})`;
  if (to.username || to.password) return `its URL carries credentials (${to.host})`;
  if (to.origin === policy.endpoint.origin || policy.hosts === 'any') return null;
  return hostAllowed(to.hostname, policy.hosts) ? null : `it leads to ${to.origin}, ${policy.refusedHost ?? `off ${policy.endpoint.origin}`}`;
}

/** Judges each hop of a request against one policy; the endpoint's own address kinds are looked up once. */
export class RedirectGuard {
  private endpointKinds: Promise<Set<AddressKind>> | null = null;

  constructor(readonly policy: RedirectPolicy) {}

  /** Why the hop is refused, or null. A host off the endpoint's origin is looked up, and each of its addresses judged. */
  async refusal(from: URL, to: URL): Promise<string | null> {
    const refused = redirectRefusal(from, to, this.policy);
    if (refused || to.origin === this.policy.endpoint.origin) return refused;
    this.endpointKinds ??= hostKinds(this.policy.endpoint.hostname);
    const endpointKinds = await this.endpointKinds;
    // a second lookup by fetch could answer otherwise (DNS rebinding): only for a host already allowed above
    for (const kind of await hostKinds(to.hostname)) {
      if (!mayConnect(kind, endpointKinds)) return `it leads to ${to.origin}, on a ${kind} address, where ${this.policy.name} is not`;
    }
    return null;
  }
}

/** A provider's policy (captions, image generation): its endpoint's origin only, whatever it asks. */
export function providerRedirects(endpoint: URL): RedirectGuard {
  return new RedirectGuard({
    endpoint,
    name: 'the provider',
    hosts: [],
    refusedHost: `off the provider's own ${endpoint.origin}, where its redirects are followed only (set its URL to where it leads)`,
  });
}

/** The headers a request keeps once a hop leaves the endpoint's origin: none that could sign it in or describe a body. */
const CARRIED_OFF_ORIGIN = new Set(['accept', 'accept-encoding', 'accept-language', 'range', 'if-range', 'user-agent']);
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Whether fetch can send this body again (a stream is spent by the first request). */
function replayable(body: RequestInit['body']): boolean {
  return (
    body == null ||
    typeof body === 'string' ||
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    ArrayBuffer.isView(body) ||
    body instanceof ArrayBuffer
  );
}

/**
 * `fetch` with redirects followed by hand, each hop judged by `guard` and the request changed as fetch would (a 303,
 * or a 301/302 after a POST, becomes a GET without its body; 307 and 308 repeat it). `send` makes one request
 * (default: fetch, which is told not to follow). A refused hop throws RedirectRefusedError; the response of the
 * last hop is returned, a 3xx without a Location as it is.
 */
export async function fetchFollowing(
  url: string | URL,
  init: RequestInit,
  guard: RedirectGuard,
  send: (url: URL, init: RequestInit) => Promise<Response> = (target, request) => fetch(target, request),
): Promise<Response> {
  const { endpoint } = guard.policy;
  let current = new URL(url);
  let request: RequestInit = { ...init, redirect: 'manual' };
  for (let hop = 0; ; hop++) {
    const response = await send(current, request);
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop === MAX_REDIRECTS) throw new RedirectRefusedError(`more than ${MAX_REDIRECTS} in a row`);
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new RedirectRefusedError('its Location is not a URL');
    }
    const refused = await guard.refusal(current, next);
    if (refused) throw new RedirectRefusedError(refused);
    request = nextRequest(request, response.status, next, endpoint);
    current = next;
  }
}

/** The request a hop sends; RedirectRefusedError when it would carry what may not go there. */
function nextRequest(request: RequestInit, status: number, to: URL, endpoint: URL): RequestInit {
  const method = (request.method ?? 'GET').toUpperCase();
  const headers = new Headers(request.headers);
  let { body } = request;
  if ((status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    body = null;
    for (const name of BODY_HEADERS) headers.delete(name);
    request = { ...request, method: 'GET' };
  }
  // the body's destination first: an upload sent to another host is refused for that, stream or not
  if (body != null && to.origin !== endpoint.origin) throw new RedirectRefusedError(`it would send the request's body to ${to.origin}, off ${endpoint.origin}`);
  if (body != null && !replayable(body)) {
    throw new RedirectRefusedError(`it asks for the request again at ${to.origin}, and its body was a stream, which cannot be sent twice`);
  }
  // headers dropped on leaving the origin stay dropped on coming back (as fetch does)
  if (to.origin !== endpoint.origin) for (const name of [...headers.keys()]) if (!CARRIED_OFF_ORIGIN.has(name)) headers.delete(name);
  return { ...request, headers, body };
}
