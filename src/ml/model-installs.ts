// Model downloads the server runs for the web app (Settings → Models) and for unattended installs
// (SHOEBOX_MODELS_INSTALL): one download per model at a time, its progress readable while it runs, cancellable;
// a cut or cancelled download keeps its partial files, so the next try resumes (hub-download.ts). When a model
// is in place, `onInstalled` lets the photos' skipped steps run with it. What runs is known in memory; a download
// the server stopped during (a restart) is known by the files it left: `interrupted`, resumed by the next start.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { ModelDownloadError, pullModel, type PullProgress } from './hub-download.js';
import { filesFor, getHubModelSpec, modelDir } from './model-catalogue.js';
import { extractModelArchive } from './model-archive.js';
import { installFromFolder, removeModel } from './registry.js';

export type InstallState = 'downloading' | 'installed' | 'failed' | 'cancelled' | 'interrupted';

export interface InstallStatus {
  name: string;
  state: InstallState;
  /** The file being fetched (1-based) of how many, and the bytes of it so far. */
  file: string | null;
  fileIndex: number;
  fileCount: number;
  receivedBytes: number;
  totalBytes: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** Why it failed (a download error's own words: no secrets, hub-download redacts them). */
  error: string | null;
}

interface Running {
  status: InstallStatus;
  abort: AbortController;
  done: Promise<void>;
}

export class ModelInstalls {
  private readonly runs = new Map<string, Running>();
  /** Models being installed from an archive right now: a download or another archive of one waits for it. */
  private readonly unpacking = new Set<string>();
  private closed = false;

  constructor(
    private readonly dataDir: string,
    /** The hub or its mirror (undefined: hub-download's default), and the hosts its redirects may lead to besides. */
    private readonly hub: { endpoint: string | undefined; redirectHosts: readonly string[] },
    private readonly logger: Logger,
    private readonly onInstalled: (name: string) => Promise<void>,
  ) {}

  /** Starts downloading a hub model (a no-op while it downloads); throws for an unknown or bundled model. */
  start(name: string): InstallStatus {
    getHubModelSpec(name); // unknown → UnknownModelError, bundled → ModelInstallError
    if (this.closed) throw new ModelBusyError('the server is stopping');
    const current = this.runs.get(name);
    if (current?.status.state === 'downloading') return { ...current.status };
    if (this.unpacking.has(name)) throw new ModelBusyError(`${name} is being installed from an archive`);
    const abort = new AbortController();
    const status: InstallStatus = {
      name,
      state: 'downloading',
      file: null,
      fileIndex: 0,
      fileCount: 0,
      receivedBytes: 0,
      totalBytes: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    const onProgress = (progress: PullProgress) => {
      Object.assign(status, {
        file: progress.file,
        fileIndex: progress.fileIndex + 1, // the pull counts from 0
        fileCount: progress.fileCount,
        receivedBytes: progress.receivedBytes,
        totalBytes: progress.totalBytes,
      });
    };
    this.logger.info({ model: name }, 'model download started');
    const done = pullModel(this.dataDir, name, { ...this.hub, onProgress, signal: abort.signal }).then(
      async () => {
        status.state = 'installed';
        status.finishedAt = new Date().toISOString();
        this.logger.info({ model: name }, 'model installed');
        await this.onInstalled(name).catch((error: unknown) => this.logger.error({ err: error, model: name }, 'queuing the steps the model enables failed'));
      },
      (error: unknown) => {
        status.finishedAt = new Date().toISOString();
        if (abort.signal.aborted) {
          status.state = 'cancelled';
          this.logger.info({ model: name }, 'model download cancelled (its partial files are kept to resume)');
          return;
        }
        status.state = 'failed';
        status.error = error instanceof ModelDownloadError || error instanceof Error ? error.message : String(error);
        this.logger.warn({ model: name, reason: status.error }, 'model download failed');
      },
    );
    this.runs.set(name, { status, abort, done });
    return { ...status };
  }

  /** Throws (busy, stopping, unknown, bundled) when an archive of the model would be refused: asked before one is received. */
  checkArchiveWelcome(name: string): void {
    getHubModelSpec(name);
    if (this.closed) throw new ModelBusyError('the server is stopping');
    if (this.runs.get(name)?.status.state === 'downloading') throw new ModelBusyError(`${name} is downloading: cancel it first`);
    if (this.unpacking.has(name)) throw new ModelBusyError(`${name} is being installed from another archive`);
  }

  /**
   * Installs a model from a zip of its folder (a machine that cannot reach the hub); `work` is an empty scratch
   * folder the files are taken out into. Refused while the model downloads; the skipped steps then run as after a
   * download.
   */
  async installArchive(name: string, archive: string, work: string): Promise<InstallStatus> {
    this.checkArchiveWelcome(name);
    this.unpacking.add(name);
    const startedAt = new Date().toISOString();
    try {
      await extractModelArchive(archive, name, work);
      const manifest = await installFromFolder(this.dataDir, name, work, 'archive');
      const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
      const status: InstallStatus = {
        name,
        state: 'installed',
        file: null,
        fileIndex: manifest.files.length,
        fileCount: manifest.files.length,
        receivedBytes: bytes,
        totalBytes: bytes,
        startedAt,
        finishedAt: new Date().toISOString(),
        error: null,
      };
      this.runs.set(name, { status, abort: new AbortController(), done: Promise.resolve() });
      this.logger.info({ model: name }, 'model installed from an archive');
      await this.onInstalled(name).catch((error: unknown) => this.logger.error({ err: error, model: name }, 'queuing the steps the model enables failed'));
      return { ...status };
    } finally {
      this.unpacking.delete(name);
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Stops a download; its partial files stay for the next try. Returns false when none was running. */
  async cancel(name: string): Promise<boolean> {
    const run = this.runs.get(name);
    if (!run || run.status.state !== 'downloading') return false;
    run.abort.abort();
    await run.done;
    return true;
  }

  /** Removes an installed model's files; refused while it downloads. */
  async remove(name: string): Promise<boolean> {
    if (this.runs.get(name)?.status.state === 'downloading') throw new ModelBusyError(`${name} is downloading: cancel it first`);
    this.runs.delete(name);
    return removeModel(this.dataDir, name);
  }

  status(name: string): InstallStatus | null {
    const run = this.runs.get(name);
    return run ? { ...run.status } : null;
  }

  /**
   * A hub model's download as this server knows it, or, when it ran none since it started, as an earlier one left it:
   * files of the model but no manifest are a download the server stopped during (`interrupted`, its bytes kept to
   * resume). Null when there is neither, or the model is installed.
   */
  async lastDownload(name: string, installed: boolean): Promise<InstallStatus | null> {
    const known = this.status(name);
    if (known || installed) return known;
    let spec;
    try {
      spec = getHubModelSpec(name);
    } catch {
      return null; // bundled: never downloaded
    }
    const dir = modelDir(this.dataDir, name);
    const left = await filesLeft(dir);
    if (left.length === 0) return null;
    const changed = new Date(Math.max(...left.map((file) => file.changed))).toISOString();
    // the file it stopped in: one fetched a file at a time, so at most one is partial
    const partial = left.find((file) => file.path.endsWith('.partial'));
    const whole = left.filter((file) => file !== partial).length;
    return {
      name,
      state: 'interrupted',
      file: partial ? path.relative(dir, partial.path.slice(0, -'.partial'.length)).split(path.sep).join('/') : null,
      fileIndex: whole + (partial ? 1 : 0),
      fileCount: filesFor(spec).length,
      receivedBytes: partial?.bytes ?? 0,
      totalBytes: null,
      startedAt: changed,
      finishedAt: changed,
      error: null,
    };
  }

  /** Waits for a running download to end (tests; a server closing). */
  async settled(name: string): Promise<void> {
    await this.runs.get(name)?.done;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.runs.values()) run.abort.abort();
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }
}

/** The files a download left in a model's folder (whole ones and a `.partial` one), with their sizes and times. */
async function filesLeft(dir: string): Promise<{ path: string; bytes: number; changed: number }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  return Promise.all(
    files.map(async (file) => {
      const info = await stat(file);
      return { path: file, bytes: info.size, changed: info.mtimeMs };
    }),
  );
}

export class ModelBusyError extends Error {
  override name = 'ModelBusyError';
  readonly kind = 'conflict';
}
