// The address rules answers' URLs are read under, the redirects every request follows, and the scrubber every
// network error goes through.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShoeboxClient } from '../../src/cli/client.js';
import { ServerUnreachableError } from '../../src/cli/server-fetch.js';
import { fetchFollowing, providerRedirects, RedirectGuard, RedirectRefusedError } from '../../src/net/redirects.js';
import { addressKind, hostAllowed, mayConnect } from '../../src/net/addresses.js';
import { fetchAnswerUrl } from '../../src/net/answer-fetch.js';
import { ModelDownloadError } from '../../src/ml/hub-download.js';
import { redact, splitCredentials, urlSecrets } from '../../src/net/redact.js';

describe('address kinds', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['ff02::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['not an address', 'reserved'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['93.184.215.14', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
  ] as const)('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it('allows loopback and private only where the provider is, link-local and reserved never', () => {
    const none = new Set<never>();
    expect(mayConnect('public', none)).toBe(true);
    expect(mayConnect('loopback', none)).toBe(false);
    expect(mayConnect('loopback', new Set(['loopback'] as const))).toBe(true);
    expect(mayConnect('private', new Set(['loopback'] as const))).toBe(false);
    expect(mayConnect('private', new Set(['private'] as const))).toBe(true);
    expect(mayConnect('link-local', new Set(['link-local', 'loopback'] as const))).toBe(false);
    expect(mayConnect('reserved', new Set(['reserved'] as const))).toBe(false);
  });

  it('matches allowed hosts whole or under a *. domain', () => {
    const allowed = ['images.example.com', '*.blob.core.windows.net'];
    expect(hostAllowed('images.example.com', allowed)).toBe(true);
    expect(hostAllowed('IMAGES.example.com.', allowed)).toBe(true);
    expect(hostAllowed('a.b.blob.core.windows.net', allowed)).toBe(true);
    expect(hostAllowed('blob.core.windows.net', allowed)).toBe(false);
    expect(hostAllowed('evilblob.core.windows.net', allowed)).toBe(false);
    expect(hostAllowed('images.example.com.evil.net', allowed)).toBe(false);
    expect(hostAllowed('example.com', allowed)).toBe(false);
  });
});

describe('reading an answer URL', () => {
  async function trap() {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      get connections() {
        return connections;
      },
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  const options = (providerUrl: string, allowedHosts: string[] = []) => ({
    providerUrl,
    allowedHosts,
    allowedHostsSetting: 'SHOEBOX_IMAGE_ANSWER_HOSTS',
    timeoutMs: 2000,
    maxBytes: 1024,
  });

  it('refuses loopback addresses outside the provider origin before any connection, by literal and by name', async () => {
    const listener = await trap();
    try {
      const onLoopback = 'http://127.0.0.1:9/v1';
      await expect(fetchAnswerUrl(`http://127.0.0.1:${listener.port}/x.png`, options(onLoopback))).rejects.toThrow(/not the provider's own/);
      // allowed by name, but the provider is on a public address: localhost is not its place
      await expect(fetchAnswerUrl(`http://localhost:${listener.port}/x.png`, options('http://93.184.215.14/v1', ['localhost']))).rejects.toThrow(
        /loopback address, where the provider is not/,
      );
      await expect(fetchAnswerUrl(`http://127.0.0.1:${listener.port}/x.png`, options('http://93.184.215.14/v1', ['127.0.0.1']))).rejects.toThrow(
        /loopback address/,
      );
      await expect(fetchAnswerUrl('http://169.254.169.254/latest/', options(onLoopback, ['169.254.169.254']))).rejects.toThrow(/link-local/);
      await expect(fetchAnswerUrl('http://[::ffff:a9fe:a9fe]/latest/', options('http://[::ffff:a9fe:a9fe]:81/', []))).rejects.toThrow(/not the provider's own/);
      await expect(fetchAnswerUrl(`http://u:p@127.0.0.1:${listener.port}/`, options(`http://127.0.0.1:${listener.port}`))).rejects.toThrow(/credentials/);
      await expect(fetchAnswerUrl('file:///etc/passwd', options(onLoopback))).rejects.toThrow(/not http/);
      expect(listener.connections).toBe(0);
    } finally {
      await listener.close();
    }
  });
});

describe('redirects', () => {
  interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }
  /** A loopback HTTP server that records every request and answers as `routes` say (else 200 `ok`). */
  async function recorder(routes: Record<string, (base: string) => [number, Record<string, string>]> = {}) {
    const seen: Seen[] = [];
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        const route = routes[new URL(req.url!, 'http://x').pathname];
        const [status, headers] = route ? route(base) : [200, {}];
        res.writeHead(status, headers).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { base, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  let elsewhere: Awaited<ReturnType<typeof recorder>>;
  let server: Awaited<ReturnType<typeof recorder>>;
  beforeAll(async () => {
    elsewhere = await recorder();
    // the same machine under another name: another origin
    const away = (path: string) => () => [302, { location: `${elsewhere.base.replace('127.0.0.1', 'localhost')}${path}` }] as [number, Record<string, string>];
    server = await recorder({
      '/api/moved': (base) => [307, { location: `${base}/api/here` }],
      '/api/see-other': () => [303, { location: '/api/here' }],
      '/api/photos/1/original': away('/bucket/photo.jpg?X-Amz-Signature=s1gn'),
      '/api/upload': () => [307, { location: `${elsewhere.base}/upload` }],
      '/api/metadata': () => [302, { location: 'http://169.254.169.254/latest/meta-data/' }],
      '/api/loop': () => [302, { location: '/api/loop' }],
    });
  });
  afterAll(async () => {
    await server.close();
    await elsewhere.close();
  });

  it('the CLI: within its server with the key; off it a GET without the key; never a body, nor a link-local address', async () => {
    const client = new ShoeboxClient(server.base, 'sbx_secret_key_0123456789', 5000);
    const moved = await client.fetch('/api/moved', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(moved.status).toBe(200);
    expect(server.seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/here', body: '{"a":1}', headers: { 'x-api-key': 'sbx_secret_key_0123456789' } });
    // a server on object storage sends an original to a presigned link: followed, the key left behind
    const original = await client.fetch('/api/photos/1/original', { headers: { range: 'bytes=0-9' } });
    expect(original.status).toBe(200);
    expect(elsewhere.seen).toHaveLength(1);
    expect(elsewhere.seen[0]!.url).toBe('/bucket/photo.jpg?X-Amz-Signature=s1gn');
    expect(elsewhere.seen[0]!.headers).toMatchObject({ range: 'bytes=0-9' });
    expect(elsewhere.seen[0]!.headers['x-api-key']).toBeUndefined();
    // an upload sent on to another host, the server's metadata service: refused, with the reason, nothing sent there
    for (const [route, reason] of [
      ['/api/upload', /would send the request's body to http:\/\/127\.0\.0\.1:\d+, off http:\/\/127\.0\.0\.1:\d+/],
      ['/api/metadata', /it leads to http:\/\/169\.254\.169\.254, on a link-local address, where the server is not/],
      ['/api/loop', /more than 5 in a row/],
    ] as const) {
      // an upload as the CLI sends it: a form, streamed
      const form = new FormData();
      form.append('file', new Blob(['photo bytes']), 'a.jpg');
      const refused = client.fetch(route, route === '/api/upload' ? { method: 'POST', body: form } : {});
      await expect(refused).rejects.toThrow(ServerUnreachableError);
      await expect(refused).rejects.toThrow(reason);
      await expect(refused).rejects.not.toThrow(/sbx_secret_key/);
    }
    expect(elsewhere.seen).toHaveLength(1);
  });

  it('changes the request as fetch would: a 303 becomes a GET without its body; a stream is not sent twice', async () => {
    const guard = new RedirectGuard({ endpoint: new URL(server.base), name: 'the server', hosts: [] });
    const response = await fetchFollowing(
      `${server.base}/api/see-other`,
      { method: 'POST', body: 'form', headers: { 'content-type': 'text/plain', authorization: 'Bearer k' } },
      guard,
    );
    expect(response.status).toBe(200);
    expect(server.seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/here', body: '', headers: { authorization: 'Bearer k' } });
    expect(server.seen.at(-1)!.headers['content-type']).toBeUndefined();
    const stream = new Blob(['bytes']).stream();
    await expect(fetchFollowing(`${server.base}/api/moved`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit, guard)).rejects.toThrow(
      /its body was a stream, which cannot be sent twice/,
    );
  });

  it('a provider: its own origin only, another port or name of the same machine refused, https never to http', async () => {
    const guard = providerRedirects(new URL('https://api.example.com/v1/chat/completions'));
    const from = new URL('https://api.example.com/v1/chat/completions');
    expect(await guard.refusal(from, new URL('https://api.example.com/v2/chat/completions'))).toBeNull();
    expect(await guard.refusal(from, new URL('https://api.example.com:8443/v1'))).toMatch(
      /leads to https:\/\/api\.example\.com:8443, off the provider's own https:\/\/api\.example\.com/,
    );
    expect(await guard.refusal(from, new URL('https://evil.example/v1'))).toMatch(/off the provider's own/);
    expect(await guard.refusal(from, new URL('http://api.example.com/v1'))).toMatch(/from https to plain http/);
    expect(await guard.refusal(from, new URL('http://169.254.169.254/latest/'))).toMatch(/from https to plain http/);
    expect(new RedirectRefusedError('x').message).toBe('a redirect was not followed: x');
  });
});

describe('redact', () => {
  it('masks the secrets it is given in every form, and credential shapes it is not', () => {
    const key = 'sk-live-abcdef123456';
    const text = [
      `POST http://user:pa55word@host:8080/v1?api-version=2024-02-01&key=${key}`,
      `authorization: Basic ${Buffer.from('artist:s3cret').toString('base64')}`,
      '{"x-api-key":"another-secret-value","Authorization":"Bearer eyJhbGciOi.xyz"}',
      `encoded ${encodeURIComponent('p@ss/word')} and https://h/cb?code=oauth-code-99&state=ok&X-Amz-Signature=deadbeef`,
    ].join('\n');
    const out = redact(text, [key, 'artist:s3cret', 'p@ss/word']);
    for (const secret of ['pa55word', key, 's3cret', 'YXJ0aXN0OnMzY3JldA', 'another-secret-value', 'eyJhbGciOi', 'p%40ss', 'oauth-code-99', 'deadbeef']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('api-version=2024-02-01'); // not a credential: kept for the reader
    expect(out).toContain('state=ok');
    expect(out).toContain('http://***@host:8080/v1');
  });

  it('keeps a mirror password and a signed redirect out of model download errors', () => {
    const error = new ModelDownloadError('too many redirects for https://me:mirror-pw@hf.example/x?X-Amz-Signature=abc123def&X-Amz-Date=1');
    expect(error.message).toBe('too many redirects for https://***@hf.example/x?X-Amz-Signature=***&X-Amz-Date=1');
  });

  it('leaves ordinary text alone and ignores secrets too short to find safely', () => {
    expect(redact('HTTP 500: model is loading (retry in 3 s)', ['ab', ''])).toBe('HTTP 500: model is loading (retry in 3 s)');
  });

  it('takes linear time on hostile text', () => {
    const hostile = `http://${'a'.repeat(200_000)} ?${'k'.repeat(200_000)} authorization:${' '.repeat(100_000)} bearer ${'='.repeat(100_000)}`;
    const began = performance.now();
    redact(hostile, ['some-secret-value']);
    expect(performance.now() - began).toBeLessThan(500);
  });

  it('finds the secrets a URL holds and moves its credentials into Basic auth', () => {
    expect(urlSecrets('https://me:p%40ss@h/v1?key=k123&api-version=1&access_token=t456')).toEqual(['p@ss', 'me:p@ss', 'me', 'k123', 't456']);
    expect(urlSecrets('not a url')).toEqual([]);
    expect(splitCredentials('http://me:p%40ss@h:1/v1?q=1')).toEqual({ url: 'http://h:1/v1?q=1', basic: `Basic ${Buffer.from('me:p@ss').toString('base64')}` });
    expect(splitCredentials('http://h/v1')).toEqual({ url: 'http://h/v1', basic: null });
  });
});
