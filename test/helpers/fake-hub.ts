// A loopback imitation of the Hugging Face hub's file protocol for model downloads (unit and browser tests).
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const sha1 = (data: Buffer): string => createHash('sha1').update(data).digest('hex');

export interface Seen {
  url: string;
  range: string | undefined;
  status: number;
}

/** What the fake hub should do wrong in a test. */
export interface Faults {
  /** Serve this many bytes of the file, then cut the connection (once). */
  dropAfter?: { file: string; bytes: number };
  /** Serve this many bytes of the file, then go quiet with the connection open. */
  stallAfter?: { file: string; bytes: number };
  /** Serve these bytes instead of the file (the advertised sha256 stays the real one). */
  corrupt?: { file: string; data: Buffer };
  missing?: string;
  noTree?: boolean;
  /** Answer the file's `resolve` URL with a redirect there (relative to the request, as a Location may be). */
  redirect?: { file: string; location: string };
}

/**
 * A loopback imitation of the hub: the tree API with LFS sha256s, `resolve` URLs that redirect LFS files to a
 * "CDN" path with `x-linked-etag`/`x-linked-size` (as huggingface.co does), Range requests answered with 206.
 */
export class FakeHub {
  readonly seen: Seen[] = [];
  faults: Faults = {};
  private readonly server: http.Server;
  private dropped = false;
  private readonly repos = new Map<string, Map<string, Buffer>>();

  constructor(repo: string, files: Map<string, Buffer>) {
    this.repos.set(repo, files);
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Serves one more repository's files. */
  serve(repo: string, files: Map<string, Buffer>): this {
    this.repos.set(repo, files);
    return this;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.seen.length = 0;
    this.faults = {};
    this.dropped = false;
  }

  private isLfs = (file: string): boolean => file.endsWith('.onnx');

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://hub');
    const record = (status: number): void => {
      this.seen.push({ url: url.pathname, range: req.headers.range, status });
    };
    for (const [repo, repoFiles] of this.repos) {
      if (this.handleRepo(req, res, url, repo, repoFiles, record)) return;
    }
    record(404);
    res.writeHead(404).end();
  }

  /** Answers a request for `repo`'s tree, files or CDN copies; false when the request is for something else. */
  private handleRepo(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    repo: string,
    repoFiles: Map<string, Buffer>,
    record: (status: number) => void,
  ): boolean {
    const treePrefix = `/api/models/${repo}/tree/main`;
    const resolvePrefix = `/${repo}/resolve/main/`;
    const cdnPrefix = `/cdn/${repo}/`;
    if (url.pathname === treePrefix && !this.faults.noTree) {
      record(200);
      const listing = [...repoFiles].map(([file, data]) => ({
        type: 'file',
        path: file,
        size: data.length,
        oid: sha1(data),
        ...(this.isLfs(file) ? { lfs: { oid: sha256(data), size: data.length, pointerSize: 134 } } : {}),
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listing));
      return true;
    }
    if (url.pathname.startsWith(resolvePrefix)) {
      const file = decodeURIComponent(url.pathname.slice(resolvePrefix.length));
      const data = repoFiles.get(file);
      if (!data || file === this.faults.missing) {
        record(404);
        res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
        return true;
      }
      const redirect = this.faults.redirect;
      if (redirect?.file === file) {
        record(302);
        res.writeHead(302, { location: redirect.location }).end();
        return true;
      }
      if (this.isLfs(file)) {
        record(302);
        res
          .writeHead(302, {
            location: `${cdnPrefix}${encodeURIComponent(file)}`,
            'x-linked-etag': `"${sha256(data)}"`,
            'x-linked-size': String(data.length),
            etag: `"${sha1(data)}"`,
          })
          .end();
        return true;
      }
      this.serveBytes(req, res, file, data, { etag: `"${sha1(data)}"` }, record);
      return true;
    }
    if (url.pathname.startsWith(cdnPrefix)) {
      const file = decodeURIComponent(url.pathname.slice(cdnPrefix.length));
      const data = repoFiles.get(file);
      if (!data) return false;
      this.serveBytes(req, res, file, data, { etag: `"${sha256(data)}"` }, record);
      return true;
    }
    return false;
  }

  private serveBytes(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    file: string,
    original: Buffer,
    headers: Record<string, string>,
    record: (status: number) => void,
  ): void {
    const data = this.faults.corrupt?.file === file ? this.faults.corrupt.data : original;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= data.length && range) {
      record(416);
      res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
      return;
    }
    const status = range ? 206 : 200;
    record(status);
    res.writeHead(status, {
      ...headers,
      'accept-ranges': 'bytes',
      'content-length': String(data.length - start),
      ...(range ? { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
    });
    const stall = this.faults.stallAfter;
    if (stall?.file === file) {
      res.write(data.subarray(start, start + stall.bytes));
      return;
    }
    const drop = this.faults.dropAfter;
    if (drop?.file === file && !this.dropped) {
      this.dropped = true;
      // Send part of the body, let it reach the client, then cut the connection as a flaky network would.
      res.write(data.subarray(start, start + drop.bytes), () => setTimeout(() => res.socket?.destroy(), 100));
      return;
    }
    res.end(data.subarray(start));
  }
}
