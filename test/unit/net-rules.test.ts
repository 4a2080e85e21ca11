// The address rules answers' URLs are read under, and the scrubber every network error goes through.
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
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
