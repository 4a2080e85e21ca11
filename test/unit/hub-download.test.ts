import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ChecksumMismatchError, HubUnreachableError, hubEndpoint, ModelDownloadError, pullModel, type PullProgress } from '../../src/ml/hub-download.js';
import { hubRedirectGuard, hubRedirectPolicy, MAX_HUB_REDIRECTS } from '../../src/ml/hub-redirects.js';
import { redirectRefusal } from '../../src/net/redirects.js';
import { filesFor, getHubModelSpec, modelDir } from '../../src/ml/model-catalogue.js';
import { MANIFEST_FILE } from '../../src/ml/model-manifest.js';
import { installedVersion, isInstalled, listModels } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { FakeHub } from '../helpers/fake-hub.js';

const spec = getHubModelSpec('clip-vit-b32');
const files = filesFor(spec, 'q8');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let hub: FakeHub;
let endpoint: string;
let source: Map<string, Buffer>;
let dataDir: string;

beforeAll(async () => {
  const { clipDir } = await ensureFixtureModels();
  source = new Map();
  for (const file of files) source.set(file, await readFile(path.join(clipDir, file)));
  hub = new FakeHub(spec.repo, source);
  endpoint = await hub.start();
});

afterAll(async () => {
  await hub.stop();
});

afterEach(async () => {
  hub.reset();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function freshDataDir(): Promise<string> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-pull-'));
  return dataDir;
}

async function leftovers(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((e) => e.endsWith('.partial'));
}

describe('pullModel', () => {
  it('downloads every file, verifies it and writes the manifest last', async () => {
    const data = await freshDataDir();
    const progress: PullProgress[] = [];
    const manifest = await pullModel(data, 'clip-vit-b32', { endpoint, onProgress: (p) => progress.push(p) });

    const dir = modelDir(data, 'clip-vit-b32');
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...files].sort());
    for (const file of files) {
      const installed = await readFile(path.join(dir, file));
      expect(installed.equals(source.get(file)!)).toBe(true);
      expect(manifest.files.find((f) => f.path === file)?.sha256).toBe(sha256(source.get(file)!));
    }
    expect(manifest).toMatchObject({ name: 'clip-vit-b32', repo: 'Xenova/clip-vit-base-patch32', revision: 'main', source: 'hub' });
    expect(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect(await leftovers(dir)).toEqual([]);
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(true);
    expect(await installedVersion(data, 'clip-vit-b32')).toBe(`clip-vit-b32@${manifest.digest}`);
    const listed = (await listModels(data)).find((m) => m.name === 'clip-vit-b32')!;
    expect(listed).toMatchObject({ installed: true, bundled: false, version: `clip-vit-b32@${manifest.digest}` });

    // LFS files went through the redirect, as on huggingface.co; every file reported its end.
    expect(hub.seen.some((s) => s.url.startsWith('/cdn/') && s.status === 200)).toBe(true);
    const last = progress.filter((p) => p.file === 'onnx/text_model_quantized.onnx').at(-1)!;
    expect(last).toMatchObject({ receivedBytes: source.get('onnx/text_model_quantized.onnx')!.length, fileCount: files.length });

    // Already installed: nothing is fetched again.
    hub.reset();
    expect((await pullModel(data, 'clip-vit-b32', { endpoint })).digest).toBe(manifest.digest);
    expect(hub.seen).toEqual([]);
  });

  it('resumes a cut download from the partial file with a Range request', async () => {
    const data = await freshDataDir();
    const file = 'onnx/text_model_quantized.onnx';
    const full = source.get(file)!;
    hub.faults = { dropAfter: { file, bytes: 1_000_000 } };

    const first = pullModel(data, 'clip-vit-b32', { endpoint });
    await expect(first).rejects.toThrow(ModelDownloadError);
    await expect(first).rejects.toThrow(/interrupted after \d+ of \d+ bytes.*run the pull again to resume/);
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(false);
    expect(existsSync(path.join(modelDir(data, 'clip-vit-b32'), MANIFEST_FILE))).toBe(false);
    const partial = path.join(modelDir(data, 'clip-vit-b32'), `${file}.partial`);
    const kept = (await stat(partial)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(full.length);

    hub.seen.length = 0;
    const manifest = await pullModel(data, 'clip-vit-b32', { endpoint });
    const resumed = hub.seen.filter((s) => s.url === `/cdn/${spec.repo}/${encodeURIComponent(file)}`);
    expect(resumed).toEqual([{ url: `/cdn/${spec.repo}/${encodeURIComponent(file)}`, range: `bytes=${kept}-`, status: 206 }]);
    expect((await readFile(path.join(modelDir(data, 'clip-vit-b32'), file))).equals(full)).toBe(true);
    expect(manifest.files.find((f) => f.path === file)?.sha256).toBe(sha256(full));
    // Files finished before the cut were checked, not downloaded again.
    expect(hub.seen.filter((s) => s.url === `/cdn/${spec.repo}/onnx%2Fvision_model_quantized.onnx`)).toEqual([]);
    expect(await leftovers(modelDir(data, 'clip-vit-b32'))).toEqual([]);
  });

  it.each([
    ['the tree listing', false],
    ['the x-linked-etag header', true],
  ])('rejects a file whose sha256 differs from %s, and installs nothing', async (_label, noTree) => {
    const data = await freshDataDir();
    const file = 'onnx/vision_model_quantized.onnx';
    const corrupt = Buffer.from(source.get(file)!);
    corrupt[corrupt.length - 10]! ^= 0xff;
    hub.faults = { corrupt: { file, data: corrupt }, noTree };

    const pull = pullModel(data, 'clip-vit-b32', { endpoint });
    await expect(pull).rejects.toThrow(ChecksumMismatchError);
    await expect(pull).rejects.toThrow(/sha256 [0-9a-f]{64} does not match the hub's [0-9a-f]{64}/);
    const dir = modelDir(data, 'clip-vit-b32');
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(false);
    expect(existsSync(path.join(dir, MANIFEST_FILE))).toBe(false);
    expect(existsSync(path.join(dir, file))).toBe(false);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('says which file is missing on a 404', async () => {
    const data = await freshDataDir();
    hub.faults = { missing: 'tokenizer_config.json' };
    const pull = pullModel(data, 'clip-vit-b32', { endpoint });
    await expect(pull).rejects.toMatchObject({ name: 'ModelDownloadError', status: 404 });
    await expect(pull).rejects.toThrow(/not found: Xenova\/clip-vit-base-patch32\/tokenizer_config.json \(revision main\)/);
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(false);
  });

  it('fails fast with install-from-folder advice when nothing listens', async () => {
    const data = await freshDataDir();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const started = Date.now();
    const pull = pullModel(data, 'clip-vit-b32', { endpoint: `http://127.0.0.1:${port}` });
    await expect(pull).rejects.toThrow(HubUnreachableError);
    await expect(pull).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*shoebox models pull clip-vit-b32 --from <folder>/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(existsSync(modelDir(data, 'clip-vit-b32'))).toBe(false);
  });

  it('gives up on a server that never answers after timeoutMs', async () => {
    const data = await freshDataDir();
    const silent = http.createServer(() => {
      /* accepts the request and never answers */
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const pull = pullModel(data, 'clip-vit-b32', {
        endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        timeoutMs: 300,
      });
      await expect(pull).rejects.toThrow(/cannot reach .*\(no answer within 300 ms\)/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails fast when the host name does not resolve', async () => {
    const data = await freshDataDir();
    const started = Date.now();
    const pull = pullModel(data, 'clip-vit-b32', { endpoint: 'http://hub.shoebox-test.invalid', timeoutMs: 2_000 });
    await expect(pull).rejects.toThrow(HubUnreachableError);
    await expect(pull).rejects.toThrow(/cannot reach http:\/\/hub\.shoebox-test\.invalid \((ENOTFOUND|EAI_AGAIN|no answer within 2000 ms)\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up on a download that stalls mid-file, keeping what arrived', async () => {
    const data = await freshDataDir();
    const file = 'onnx/vision_model_quantized.onnx';
    hub.faults = { stallAfter: { file, bytes: 5_000 } };
    const pull = pullModel(data, 'clip-vit-b32', { endpoint, timeoutMs: 300 });
    await expect(pull).rejects.toThrow(/interrupted after 5000 of \d+ bytes \(no answer within 300 ms\)/);
    expect((await stat(path.join(modelDir(data, 'clip-vit-b32'), `${file}.partial`))).size).toBe(5_000);
  });

  it('stops when aborted and keeps the partial file for the next pull', async () => {
    const data = await freshDataDir();
    const file = 'onnx/vision_model_quantized.onnx';
    hub.faults = { stallAfter: { file, bytes: 5_000 } };
    const partial = path.join(modelDir(data, 'clip-vit-b32'), `${file}.partial`);
    const controller = new AbortController();
    const pull = pullModel(data, 'clip-vit-b32', { endpoint, signal: controller.signal });
    // Abort once the first bytes of the stalled file are on disk.
    while (!existsSync(partial) || (await stat(partial)).size < 5_000) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(pull).rejects.toMatchObject({ name: 'AbortError' });
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(false);
    expect((await stat(partial)).size).toBe(5_000);

    hub.reset();
    await pullModel(data, 'clip-vit-b32', { endpoint });
    expect(hub.seen.find((s) => s.url === `/cdn/${spec.repo}/${encodeURIComponent(file)}`)).toMatchObject({ range: 'bytes=5000-', status: 206 });
    expect((await readFile(path.join(modelDir(data, 'clip-vit-b32'), file))).equals(source.get(file)!)).toBe(true);
  });

  it('follows a redirect only to the hub’s own host, huggingface.co’s or one allowed, for a bounded number of hops', async () => {
    const file = 'onnx/text_model_quantized.onnx';
    // another server on this machine, under another name: the hub's redirect must not reach it unless allowed
    const asked: string[] = [];
    const other = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-length': String(source.get(file)!.length) }).end(source.get(file));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const elsewhere = `http://localhost:${(other.address() as AddressInfo).port}/weights.onnx`;
    try {
      hub.faults = { redirect: { file, location: elsewhere } };
      const refused = pullModel(await freshDataDir(), 'clip-vit-b32', { endpoint });
      await expect(refused).rejects.toThrow(ModelDownloadError);
      await expect(refused).rejects.toThrow(
        /text_model_quantized\.onnx: a redirect was not followed: it leads to http:\/\/localhost:\d+, neither the hub's host nor one the hub is known to send downloads to \(SHOEBOX_HF_REDIRECT_HOSTS allows more\)/,
      );
      expect(asked).toEqual([]);
      expect(await isInstalled(dataDir, 'clip-vit-b32')).toBe(false);

      // the admin names the mirror's storage host: followed
      await pullModel(await freshDataDir(), 'clip-vit-b32', { endpoint, redirectHosts: ['localhost'] });
      expect(asked).toEqual(['/weights.onnx']);
      expect((await readFile(path.join(modelDir(dataDir, 'clip-vit-b32'), file))).equals(source.get(file)!)).toBe(true);

      // a redirect to itself, round and round: given up after MAX_HUB_REDIRECTS hops
      hub.reset();
      hub.faults = { redirect: { file, location: `/${spec.repo}/resolve/main/${file}` } };
      await expect(pullModel(await freshDataDir(), 'clip-vit-b32', { endpoint })).rejects.toThrow(
        new RegExp(`a redirect was not followed: more than ${MAX_HUB_REDIRECTS} in a row`),
      );
      expect(hub.seen.filter((seen) => seen.url.endsWith(file))).toHaveLength(MAX_HUB_REDIRECTS + 1);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('refuses models that ship with Shoebox and names unknown ones', async () => {
    const data = await freshDataDir();
    await expect(pullModel(data, 'faces', { endpoint })).rejects.toThrow(/ships with Shoebox/);
    await expect(pullModel(data, 'clip-huge', { endpoint })).rejects.toThrow(/unknown model "clip-huge"; known models: clip-vit-b32/);
  });
});

describe('hubEndpoint', () => {
  it('prefers the option, then SHOEBOX_HF_ENDPOINT, then HF_ENDPOINT, then huggingface.co', () => {
    expect(hubEndpoint('http://mirror.local/', { SHOEBOX_HF_ENDPOINT: 'http://a' })).toBe('http://mirror.local');
    expect(hubEndpoint(undefined, { SHOEBOX_HF_ENDPOINT: 'http://a/', HF_ENDPOINT: 'http://b' })).toBe('http://a');
    expect(hubEndpoint(undefined, { HF_ENDPOINT: 'https://hf-mirror.com' })).toBe('https://hf-mirror.com');
    expect(hubEndpoint(undefined, {})).toBe('https://huggingface.co');
  });
});

describe('hub redirects', () => {
  const hf = hubRedirectPolicy(new URL('https://huggingface.co'), []);
  const judge = (from: string, to: string, policy = hf) => redirectRefusal(new URL(from), new URL(to, from), policy);

  it('follows huggingface.co to its CDN and storage hosts, and its own relative redirects', () => {
    const file = 'https://huggingface.co/Xenova/clip/resolve/main/onnx/model.onnx';
    for (const to of [
      'https://cdn-lfs.huggingface.co/repos/ab/cd/0123',
      'https://cdn-lfs-us-1.hf.co/repos/ab/cd/0123?X-Amz-Signature=x',
      'https://us.aws.cdn.hf.co/xet-bridge-us/0123',
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/0123',
      'https://transfer.xethub.hf.co/xorbs/0123',
      '/api/resolve-cache/models/Xenova/clip/0123/onnx%2Fmodel.onnx',
    ]) {
      expect(judge(file, to), to).toBeNull();
    }
  });

  it('refuses another host, a downgrade to http, another scheme and credentials, with the reason', () => {
    const file = 'https://huggingface.co/Xenova/clip/resolve/main/model.onnx';
    expect(judge(file, 'https://evil.example/model.onnx')).toMatch(/leads to https:\/\/evil\.example, neither the hub's host/);
    expect(judge(file, 'https://evilhf.co/model.onnx')).toMatch(/neither the hub's host/);
    expect(judge(file, 'https://huggingface.co.evil.example/model.onnx')).toMatch(/neither the hub's host/);
    expect(judge(file, 'http://cdn-lfs.hf.co/model.onnx')).toMatch(/from https to plain http/);
    expect(judge(file, 'http://huggingface.co/model.onnx')).toMatch(/from https to plain http/);
    expect(judge(file, 'file:///etc/passwd')).toMatch(/leads to a file: URL/);
    expect(judge(file, 'https://user:secret@cdn-lfs.hf.co/model.onnx')).toMatch(/carries credentials/);
    // a mirror: its own host and the hosts the admin named
    const mirror = hubRedirectPolicy(new URL('https://hf-mirror.example.org'), ['*.storage.example.net']);
    expect(judge('https://hf-mirror.example.org/r/resolve/main/f', 'https://eu.storage.example.net/f', mirror)).toBeNull();
    expect(judge('https://hf-mirror.example.org/r/resolve/main/f', 'https://other.example.net/f', mirror)).toMatch(/neither the hub's host/);
  });

  it('never leads to a link-local, private or reserved address the hub is not on, even a host allowed by name', async () => {
    const onLoopback = hubRedirectGuard(new URL('http://127.0.0.1:8080'), ['169.254.169.254', '10.0.0.5', '192.0.2.1', '127.0.0.2']);
    const from = new URL('http://127.0.0.1:8080/r/resolve/main/f');
    expect(await onLoopback.refusal(from, new URL('http://169.254.169.254/latest/meta-data/'))).toMatch(/on a link-local address, where the hub is not/);
    expect(await onLoopback.refusal(from, new URL('http://10.0.0.5/f'))).toMatch(/on a private address/);
    expect(await onLoopback.refusal(from, new URL('http://192.0.2.1/f'))).toMatch(/on a reserved address/);
    // where the hub itself is (a mirror on this machine or the LAN): allowed
    expect(await onLoopback.refusal(from, new URL('http://127.0.0.2/f'))).toBeNull();
    const onTheLan = hubRedirectGuard(new URL('http://10.0.0.2'), ['10.0.0.5', '[::ffff:a9fe:a9fe]']); // as a URL writes ::ffff:169.254.169.254
    const lan = new URL('http://10.0.0.2/r/resolve/main/f');
    expect(await onTheLan.refusal(lan, new URL('http://10.0.0.5/f'))).toBeNull();
    expect(await onTheLan.refusal(lan, new URL('http://[::ffff:169.254.169.254]/f'))).toMatch(/link-local/);
  });
});
