// Reading a URL that a provider's answer named (an image to download). The answer is input from outside: it must
// not make Shoebox fetch whatever it names (a cloud metadata address, a service on the LAN). So the URL must be on
// the provider's own origin or a host the admin allowed, and every address it resolves to is checked where the
// connection is made (no second lookup to race), before any connection; no redirect is followed; the body and
// the time are bounded.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressKind, hostAllowed, mayConnect, type AddressKind } from './addresses.js';
import { hostKinds } from './host-kinds.js';

export interface AnswerFetchOptions {
  /** The provider's configured URL: its origin may always be read, and its addresses say which private ranges may. */
  providerUrl: string;
  /** Other hosts answers may name (`images.example.com`, `*.blob.core.windows.net`). */
  allowedHosts: readonly string[];
  /** The setting that holds allowedHosts, named when a host is refused. */
  allowedHostsSetting: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** A refusal or failure with a reason that names no secret (URLs are shown by origin only). */
export class AnswerFetchError extends Error {
  constructor(
    message: string,
    readonly kind: 'refused' | 'unavailable' | 'timeout' | 'too-large' | 'http',
  ) {
    super(message);
  }
}

export async function fetchAnswerUrl(href: string, options: AnswerFetchOptions): Promise<Buffer> {
  const target = checkedTarget(href, options);
  const provider = new URL(options.providerUrl);
  const sameOrigin = target.origin === provider.origin;
  let lookup: LookupFunction | undefined;
  if (!sameOrigin) {
    const providerKinds = await hostKinds(provider.hostname); // an unresolvable provider: none, so only public
    const refuse = (kind: AddressKind) =>
      new AnswerFetchError(`the image URL at ${target.origin} is on a ${kind} address, where the provider is not: it is not read`, 'refused');
    if (isIP(target.hostname.replace(/^\[|\]$/g, ''))) {
      const kind = addressKind(target.hostname);
      if (!mayConnect(kind, providerKinds)) throw refuse(kind);
    } else {
      lookup = guardedLookup((kind) => (mayConnect(kind, providerKinds) ? null : refuse(kind)));
    }
  }
  return get(target, lookup, options);
}

function checkedTarget(href: string, options: AnswerFetchOptions): URL {
  let target: URL;
  try {
    target = new URL(href);
  } catch {
    throw new AnswerFetchError('the image URL is not a URL', 'refused');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new AnswerFetchError(`the image URL is not http(s) (${target.protocol})`, 'refused');
  }
  if (target.username || target.password) throw new AnswerFetchError('the image URL carries credentials: it is not read', 'refused');
  const provider = new URL(options.providerUrl);
  if (target.origin !== provider.origin && !hostAllowed(target.hostname, options.allowedHosts)) {
    throw new AnswerFetchError(
      `the image URL is at ${target.origin}, not the provider's own ${provider.origin}: it is not read ` +
        `(hosts images may come from are listed in ${options.allowedHostsSetting})`,
      'refused',
    );
  }
  return target;
}

/** dns.lookup that fails the connection when any address the name resolves to is refused. */
function guardedLookup(refusal: (kind: AddressKind) => Error | null): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const refused = refusal(addressKind(address));
        if (refused) return callback(refused, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

async function get(target: URL, lookup: LookupFunction | undefined, options: AnswerFetchOptions): Promise<Buffer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const client = target.protocol === 'https:' ? https : http;
  let response: IncomingMessage;
  try {
    response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = client.get(target, { lookup, signal, headers: { accept: 'image/*' } }, resolve);
      request.on('error', reject);
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof AnswerFetchError) throw error;
    const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AnswerFetchError(`its image at ${target.origin} could not be read (${cause})`, timeout.aborted ? 'timeout' : 'unavailable');
  }
  const status = response.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    response.destroy();
    const what = status >= 300 && status < 400 ? `a redirect (HTTP ${status}), which is not followed` : `HTTP ${status}`;
    throw new AnswerFetchError(`its image at ${target.origin} answered ${what}`, status >= 500 ? 'unavailable' : 'http');
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response) {
      bytes += (chunk as Buffer).length;
      if (bytes > options.maxBytes) {
        response.destroy();
        throw new AnswerFetchError(`its image is larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB`, 'too-large');
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof AnswerFetchError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    throw new AnswerFetchError(`its image at ${target.origin} was cut off`, timeout.aborted ? 'timeout' : 'unavailable');
  }
  return Buffer.concat(chunks);
}
