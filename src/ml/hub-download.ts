// `shoebox models pull NAME`: downloads a catalogue model from the Hugging Face hub (or a mirror) into
// `<data>/models/NAME/`. Each file goes to `FILE.partial`, resumed with an HTTP Range request after a cut
// connection, checked (size; sha256 where the hub states it) and renamed into place; the manifest is written
// only after every file is there.
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { redact } from '../net/redact.js';
import { hubRedirectGuard } from './hub-redirects.js';
import { fetchFollowing, RedirectRefusedError, type RedirectGuard } from '../net/redirects.js';

import { filesFor, getHubModelSpec, modelDir, type HubModelSpec, type ModelDtype } from './model-catalogue.js';
import { installedManifest, MANIFEST_FILE, sha256File, validateModelFile, writeManifest, type ManifestFile, type ModelManifest } from './model-manifest.js';

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

export interface PullProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  receivedBytes: number;
  totalBytes: number | null;
}

export interface PullOptions {
  /** Hub base URL; default `SHOEBOX_HF_ENDPOINT`, `HF_ENDPOINT`, then https://huggingface.co. */
  endpoint?: string;
  dtype?: ModelDtype;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
  /** Longest wait for a connection and response headers, and for the next chunk of a body. Default 8 s. */
  timeoutMs?: number;
  /** Check every file against the hub again (fetching what differs) even when the model is installed. */
  force?: boolean;
  /** Hosts a redirect may lead to beyond the hub's own and huggingface.co's (SHOEBOX_HF_REDIRECT_HOSTS; ./hub-redirects.ts). */
  redirectHosts?: readonly string[];
}

export class ModelDownloadError extends Error {
  override name = 'ModelDownloadError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    // a mirror's user:password@ or a signed redirect's signature never reaches the models page
    super(redact(message));
  }
}

/** The hub could not be reached at all (offline, DNS, refused, timed out). */
export class HubUnreachableError extends ModelDownloadError {
  override name = 'HubUnreachableError';
}

export class ChecksumMismatchError extends ModelDownloadError {
  override name = 'ChecksumMismatchError';
}

export function hubEndpoint(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = explicit ?? env.SHOEBOX_HF_ENDPOINT ?? env.HF_ENDPOINT ?? DEFAULT_HF_ENDPOINT;
  return endpoint.replace(/\/+$/, '');
}

/** What to tell someone whose machine cannot download: fetch elsewhere, install from the folder. */
export function offlineInstallHint(spec: HubModelSpec): string {
  return (
    `To install ${spec.name} without network access, download the ${spec.repo} repository on another machine ` +
    `(\`huggingface-cli download ${spec.repo} --local-dir ${spec.name}\`, or \`git clone\` with Git LFS), ` +
    `copy that folder here and run \`shoebox models pull ${spec.name} --from <folder>\`.`
  );
}

const DEFAULT_TIMEOUT_MS = 8_000;
const PROGRESS_INTERVAL_MS = 200;

interface Expected {
  size?: number;
  sha256?: string;
}

/** One fetch with a deadline for the headers; the returned `keepAlive` re-arms it while a body streams. */
interface Timed {
  response: Response;
  /** Call on every body chunk; the request is aborted if the next one takes longer than the timeout. */
  keepAlive: () => void;
  done: () => void;
}

class Stalled extends Error {}

async function timedFetch(url: string, init: RequestInit, timeoutMs: number, outer?: AbortSignal): Promise<Timed> {
  outer?.throwIfAborted();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Stalled(`no answer within ${timeoutMs} ms`)), timeoutMs);
  };
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const done = (): void => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  };
  arm();
  try {
    const response = await fetch(url, { ...init, signal: controller.signal, redirect: 'manual' });
    return { response, keepAlive: arm, done };
  } catch (error) {
    done();
    throw controller.signal.aborted ? controller.signal.reason : error;
  }
}

/** A readable reason for a failed connection: `ECONNREFUSED`, `ENOTFOUND`, a timeout. */
function networkReason(error: unknown): string {
  if (error instanceof Stalled) return error.message;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return cause?.message ?? (error as Error).message ?? String(error);
}

function isUserAbort(error: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true && (error === signal.reason || (error as Error)?.name === 'AbortError');
}

/** The hub gives LFS files' sha256 as their (linked) ETag; plain git files have a sha1 there, which is not used. */
function sha256FromEtag(etag: string | null): string | undefined {
  const value = etag?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return value && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

/** One entry of `GET /api/models/{repo}/tree/{revision}`; `lfs.oid` is the file's sha256. */
interface TreeEntry {
  type?: string;
  path?: string;
  size?: number;
  lfs?: { oid?: string; size?: number };
}

const fileUrl = (endpoint: string, spec: HubModelSpec, file: string): string =>
  `${endpoint}/${spec.repo}/resolve/${encodeURIComponent(spec.revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;

class Pull {
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly dir: string;
  private readonly redirects: RedirectGuard;

  constructor(
    private readonly spec: HubModelSpec,
    dataDir: string,
    private readonly options: PullOptions,
  ) {
    this.endpoint = hubEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.dir = modelDir(dataDir, spec.name);
    let endpoint: URL;
    try {
      endpoint = new URL(this.endpoint);
    } catch {
      throw new ModelDownloadError(`the hub endpoint ${this.endpoint} is not a URL`);
    }
    this.redirects = hubRedirectGuard(endpoint, options.redirectHosts ?? []);
  }

  /** Turns a connection failure into one clear message; HTTP answers and aborts pass through. */
  private unreachable(error: unknown): Error {
    if (isUserAbort(error, this.options.signal) || error instanceof ModelDownloadError) return error as Error;
    return new HubUnreachableError(`cannot reach ${this.endpoint} (${networkReason(error)}) to download ${this.spec.name}. ${offlineInstallHint(this.spec)}`);
  }

  /**
   * GET with redirects followed by hand: to read the hub's `x-linked-*` headers on the first hop, and to follow only
   * the hops ./hub-redirects.ts allows (a refused one fails the download with the reason).
   */
  private async get(url: string, headers: Record<string, string>, file: string): Promise<Timed & { linked: Expected }> {
    const linked: Expected = {};
    const hop: { timed?: Timed } = {};
    const send = async (target: URL, init: RequestInit): Promise<Response> => {
      hop.timed?.done(); // a redirect's: its body was let go
      const timed = (hop.timed = await timedFetch(target.href, init, this.timeoutMs, this.options.signal));
      const size = timed.response.headers.get('x-linked-size');
      linked.size ??= size ? Number(size) : undefined;
      linked.sha256 ??= sha256FromEtag(timed.response.headers.get('x-linked-etag'));
      return timed.response;
    };
    let response: Response;
    try {
      response = await fetchFollowing(url, { headers }, this.redirects, send);
    } catch (error) {
      hop.timed?.done();
      if (error instanceof RedirectRefusedError) throw new ModelDownloadError(`${this.spec.repo}/${file}: ${error.message}`);
      throw error;
    }
    linked.sha256 ??= sha256FromEtag(response.headers.get('etag'));
    return { ...hop.timed!, linked };
  }

  /** Sizes and LFS sha256 of the repo's files from the hub API; empty when the endpoint has no such API. */
  async listing(): Promise<Map<string, Expected>> {
    const url = `${this.endpoint}/api/models/${this.spec.repo}/tree/${encodeURIComponent(this.spec.revision)}?recursive=true`;
    const expected = new Map<string, Expected>();
    let timed: Timed;
    try {
      timed = await timedFetch(url, { headers: { accept: 'application/json' } }, this.timeoutMs, this.options.signal);
    } catch (error) {
      throw this.unreachable(error);
    }
    try {
      if (!timed.response.ok) {
        await timed.response.body?.cancel();
        return expected;
      }
      const entries = (await timed.response.json()) as TreeEntry[];
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (entry.type !== 'file' || !entry.path) continue;
        const sha256 = entry.lfs?.oid && /^[0-9a-f]{64}$/i.test(entry.lfs.oid) ? entry.lfs.oid.toLowerCase() : undefined;
        expected.set(entry.path, { size: entry.lfs?.size ?? entry.size, sha256 });
      }
    } catch (error) {
      if (isUserAbort(error, this.options.signal)) throw error;
      // A listing that cannot be read only costs the up-front checks; the download still verifies what it can.
    } finally {
      timed.done();
    }
    return expected;
  }

  /** A file left in place by an interrupted pull, still matching what the hub says: no need to fetch it again. */
  private async alreadyThere(file: string, target: string, expected: Expected): Promise<ManifestFile | null> {
    if (expected.size === undefined || !existsSync(target)) return null;
    const size = (await stat(target)).size;
    if (size !== expected.size) return null;
    const sha256 = await sha256File(target);
    if (expected.sha256 && sha256 !== expected.sha256) return null;
    return { path: file, size, sha256 };
  }

  async download(file: string, fileIndex: number, fileCount: number, fromListing: Expected): Promise<ManifestFile> {
    const target = path.join(this.dir, ...file.split('/'));
    const partial = `${target}.partial`;
    await mkdir(path.dirname(target), { recursive: true });
    const done = await this.alreadyThere(file, target, fromListing);
    if (done) return done;

    for (let attempt = 0; ; attempt++) {
      const start = existsSync(partial) ? (await stat(partial)).size : 0;
      const headers: Record<string, string> = start > 0 ? { range: `bytes=${start}-` } : {};
      let request: Awaited<ReturnType<Pull['get']>>;
      try {
        request = await this.get(fileUrl(this.endpoint, this.spec, file), headers, file);
      } catch (error) {
        throw this.unreachable(error);
      }
      const { response, linked } = request;
      const expected: Expected = { size: fromListing.size ?? linked.size, sha256: fromListing.sha256 ?? linked.sha256 };

      if (response.status === 416) {
        // The partial already holds the whole file (or more): check it, or start over once.
        await response.body?.cancel();
        request.done();
        if (expected.size !== undefined && start === expected.size) return this.finish(file, partial, target, expected);
        await rm(partial, { force: true });
        if (attempt === 0) continue;
        throw new ModelDownloadError(`${this.spec.repo}/${file}: the server refused the resume request (HTTP 416)`, 416);
      }
      if (!response.ok) {
        await response.body?.cancel();
        request.done();
        throw this.httpError(file, response.status);
      }

      let offset = 0;
      if (response.status === 206) {
        const range = /bytes (\d+)-\d+\/(\d+|\*)/.exec(response.headers.get('content-range') ?? '');
        offset = range ? Number(range[1]) : start;
        if (range && range[2] !== '*') expected.size ??= Number(range[2]);
        if (offset !== start) {
          await response.body?.cancel();
          request.done();
          await rm(partial, { force: true });
          if (attempt === 0) continue;
          throw new ModelDownloadError(`${this.spec.repo}/${file}: the server resumed at byte ${offset}, not ${start}`);
        }
      } else {
        // A plain 200 is the whole file: whatever was partial is replaced.
        const length = response.headers.get('content-length');
        if (length && !response.headers.get('content-encoding')) expected.size ??= Number(length);
      }
      await this.receive(file, fileIndex, fileCount, partial, offset, request, expected.size ?? null);
      return this.finish(file, partial, target, expected);
    }
  }

  private httpError(file: string, status: number): ModelDownloadError {
    const where = `${this.spec.repo}/${file} (revision ${this.spec.revision}) at ${this.endpoint}`;
    if (status === 404) {
      return new ModelDownloadError(`not found: ${where} (HTTP 404). Is the endpoint a Hugging Face hub or mirror?`, status);
    }
    if (status === 401 || status === 403) {
      const why = 'the repository may be private, gated or renamed';
      return new ModelDownloadError(`access denied: ${where} (HTTP ${status}); ${why}`, status);
    }
    return new ModelDownloadError(`download failed: ${where} (HTTP ${status})`, status);
  }

  private async receive(
    file: string,
    fileIndex: number,
    fileCount: number,
    partial: string,
    offset: number,
    request: Timed,
    totalBytes: number | null,
  ): Promise<void> {
    const handle = await open(partial, offset > 0 ? 'a' : 'w');
    let received = offset;
    let reported = 0;
    const report = (force: boolean): void => {
      const now = Date.now();
      if (!this.options.onProgress || (!force && now - reported < PROGRESS_INTERVAL_MS)) return;
      reported = now;
      this.options.onProgress({ file, fileIndex, fileCount, receivedBytes: received, totalBytes });
    };
    try {
      if (!request.response.body) throw new ModelDownloadError(`${this.spec.repo}/${file}: empty response`);
      for await (const chunk of request.response.body) {
        request.keepAlive();
        await handle.write(chunk);
        received += chunk.byteLength;
        report(false);
      }
      report(true);
    } catch (error) {
      if (isUserAbort(error, this.options.signal)) throw this.options.signal?.reason ?? error;
      const of = totalBytes === null ? '' : ` of ${totalBytes}`;
      throw new ModelDownloadError(
        `download of ${this.spec.repo}/${file} was interrupted after ${received}${of} bytes (${networkReason(error)}); ` + 'run the pull again to resume it',
      );
    } finally {
      request.done();
      await handle.close();
    }
  }

  private async finish(file: string, partial: string, target: string, expected: Expected): Promise<ManifestFile> {
    const size = (await stat(partial)).size;
    if (expected.size !== undefined && size !== expected.size) {
      if (size > expected.size) await rm(partial, { force: true });
      throw new ModelDownloadError(
        `${this.spec.repo}/${file}: got ${size} bytes, expected ${expected.size}` + (size < expected.size ? '; run the pull again to resume it' : ''),
      );
    }
    const sha256 = await sha256File(partial);
    if (expected.sha256 && sha256 !== expected.sha256) {
      await rm(partial, { force: true });
      throw new ChecksumMismatchError(`${this.spec.repo}/${file}: sha256 ${sha256} does not match the hub's ${expected.sha256}; the download was discarded`);
    }
    try {
      await validateModelFile(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw new ModelDownloadError(`${this.spec.repo}/${file}: ${(error as Error).message}`);
    }
    await rename(partial, target);
    return { path: file, size, sha256 };
  }
}

/** Downloads a catalogue model and installs it; returns its manifest. */
export async function pullModel(dataDir: string, name: string, options: PullOptions = {}): Promise<ModelManifest> {
  const spec = getHubModelSpec(name);
  const files = filesFor(spec, options.dtype ?? spec.defaultDtype);
  const dir = modelDir(dataDir, name);
  if (!options.force) {
    const installed = await installedManifest(dir);
    if (installed && files.every((f) => installed.files.some((m) => m.path === f))) return installed;
  }
  const pull = new Pull(spec, dataDir, options);
  const listing = await pull.listing();
  const previous = await installedManifest(dir);
  await mkdir(dir, { recursive: true });
  // From here until the new manifest is written the model reads as "not installed".
  await rm(path.join(dir, MANIFEST_FILE), { force: true });
  const entries: ManifestFile[] = [];
  for (const [index, file] of files.entries()) {
    entries.push(await pull.download(file, index, files.length, listing.get(file) ?? {}));
  }
  // Another weight variant installed before stays recorded (pulling q8 next to fp32 keeps both usable).
  for (const kept of previous?.files ?? []) {
    if (!entries.some((e) => e.path === kept.path)) entries.push(kept);
  }
  return writeManifest(dir, { name, repo: spec.repo, revision: spec.revision, files: entries, source: 'hub' });
}
