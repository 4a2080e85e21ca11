// `shoebox generate`, `shoebox product-shots` and `shoebox catalogue export`: through the running server when there
// is one, else on the library itself (its worker runs the job in this process, or the cluster's workers do).
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import type { GenerationJobInfo } from '../library/create/index.js';
import type { Library } from '../library/library.js';
import { CATALOGUE_COLUMNS, CREATION_OFF_MESSAGE, DEFAULT_COLUMNS, DEFAULT_SHOTS, parseShots, type CatalogueColumn } from '../model/product-vocabulary.js';
import { isTerminal } from '../model/photo-state.js';
import type { ShoeboxClient } from './client.js';
import { throughServerOrLibrary } from './listing.js';

export interface GenerateFlags {
  n?: number;
  size?: string;
  provider?: string;
  negative?: string;
  seed?: number;
  from?: string;
  json?: boolean;
  server?: string;
}

export interface ProductShotsFlags {
  type: string;
  shots?: string;
  n?: number;
  height?: number;
  width?: number;
  unit?: 'mm' | 'cm' | 'in';
  size?: string;
  provider?: string;
  json?: boolean;
  server?: string;
}

export interface CatalogueExportFlags {
  album?: string;
  ids?: string;
  columns?: string;
  csv?: string;
  json?: string;
  baseUrl?: string;
  server?: string;
}

const POLL_MS = 500;

/** `shoebox generate "PROMPT"`: makes the images, waits for them, prints their photo ids (or the job as JSON). */
export async function runGenerate(settings: Settings, prompt: string, flags: GenerateFlags): Promise<void> {
  const body = {
    prompt,
    n: flags.n ?? 1,
    size: flags.size ?? '1024x1024',
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.negative ? { negativePrompt: flags.negative } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.from ? { sourcePhotoId: flags.from } : {}),
  };
  const job = await throughServerOrLibrary(
    settings,
    flags.server,
    'generate',
    async (client) => followRemote(client, await client.request<GenerationJobInfo>('POST', '/api/generate', body)),
    async (lib) => {
      // the library's side is loaded only when no server holds the library (listing.ts)
      const [{ chooseProvider, generateRecord, requireCreationTools, startGeneration }, { parseSize }] = await Promise.all([
        import('../library/create/index.js'),
        import('../library/create/index.js'),
      ]);
      await requireCreationTools(lib.db);
      const provider = chooseProvider(lib, flags.provider);
      const size = parseSize(body.size);
      if (typeof size === 'string') throw new Error(size);
      const mode = flags.from ? ('edit' as const) : ('text' as const);
      const request = {
        prompt,
        negativePrompt: flags.negative ?? null,
        n: body.n,
        size,
        seed: flags.seed ?? null,
        sourcePhotoId: flags.from ?? null,
        mode,
      };
      return followLocal(lib, await startGeneration(lib, { kind: 'generate', provider, imagesRequested: body.n, request: generateRecord(request) }));
    },
  );
  report(job, flags.json);
}

/** `shoebox product-shots PHOTO… --type earring`: photo ids, or image files (imported first). */
export async function runProductShots(settings: Settings, targets: string[], flags: ProductShotsFlags): Promise<void> {
  const shots = flags.shots ? parseShots(flags.shots.split(',').map((s) => s.trim())) : [...DEFAULT_SHOTS];
  if (typeof shots === 'string') throw new Error(shots);
  const files = targets.filter((p) => fs.existsSync(p));
  const body = {
    productType: flags.type,
    shots,
    n: flags.n ?? 1,
    unit: flags.unit ?? 'mm',
    size: flags.size ?? '1024x1024',
    ...(flags.height !== undefined ? { height: flags.height } : {}),
    ...(flags.width !== undefined ? { width: flags.width } : {}),
    ...(flags.provider ? { provider: flags.provider } : {}),
  };
  const ids = targets.filter((p) => !files.includes(p));
  const job = await throughServerOrLibrary(
    settings,
    flags.server,
    'product-shots',
    async (client) => {
      // refused before the files go in: a library without the tools would keep them as plain photos
      const tools = await client.request<{ on: boolean }>('GET', '/api/creation-tools');
      if (!tools.on) throw new Error(CREATION_OFF_MESSAGE);
      for (const file of files) {
        const [item] = await client.upload(path.resolve(file), null);
        if (!item?.id) throw new Error(`${file}: ${item?.error ?? 'not imported'}`);
        ids.push(item.id);
      }
      await waitRemoteThumbnails(client, ids);
      return followRemote(client, await client.request<GenerationJobInfo>('POST', '/api/product-shots', { ...body, photoIds: ids }));
    },
    async (lib) => {
      const [{ ingestFile }, { requireCreationTools, startProductShots }] = await Promise.all([
        import('../library/ingest/index.js'),
        import('../library/create/index.js'),
      ]);
      await requireCreationTools(lib.db);
      if (!lib.settings.redisUrl) await lib.startPipeline();
      for (const file of files) {
        const imported = await ingestFile(lib, path.resolve(file));
        ids.push(imported.id);
      }
      await waitLocalThumbnails(lib, ids);
      const job = await startProductShots(lib, {
        photoIds: ids,
        productType: body.productType,
        shots,
        n: body.n,
        height: flags.height ?? null,
        width: flags.width ?? null,
        unit: body.unit,
        size: body.size,
        provider: flags.provider,
      });
      return followLocal(lib, job);
    },
  );
  report(job, flags.json);
}

/** `shoebox catalogue export`: the catalogue of an album, a selection or everything, as CSV or JSON, to a file or stdout. */
export async function runCatalogueExport(settings: Settings, flags: CatalogueExportFlags): Promise<void> {
  if (flags.csv && flags.json) throw new Error('give --csv FILE or --json FILE, not both');
  const format = flags.json ? 'json' : 'csv';
  const columns = (flags.columns ? flags.columns.split(',').map((c) => c.trim()) : [...DEFAULT_COLUMNS]) as CatalogueColumn[];
  const unknown = columns.filter((c) => !(CATALOGUE_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`unknown column(s) ${unknown.join(', ')}: use ${CATALOGUE_COLUMNS.join(', ')}`);
  const ids = flags.ids
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const text = await throughServerOrLibrary(
    settings,
    flags.server,
    'catalogue export',
    async (client) => {
      const query = new URLSearchParams({ columns: columns.join(',') });
      if (flags.album) query.set('album', flags.album);
      if (ids) query.set('ids', ids.join(','));
      const response = await client.fetch(`/api/catalogue.${format}?${query}`);
      if (!response.ok) throw new Error(((await response.json()) as { message?: string }).message ?? `the export answered ${response.status}`);
      return response.text();
    },
    async (lib) => {
      const origin = flags.baseUrl?.replace(/\/+$/, '') ?? `http://${settings.host}:${settings.port}`;
      const { catalogueCsv, catalogueRows, requireCreationTools } = await import('../library/create/index.js');
      await requireCreationTools(lib.db);
      const rows = await catalogueRows(lib, { albumId: flags.album, photoIds: ids }, columns, origin);
      return format === 'json' ? JSON.stringify(rows) : catalogueCsv(rows, columns);
    },
  );
  const file = flags.csv ?? flags.json;
  if (file) {
    fs.writeFileSync(file, text);
    process.stderr.write(`Wrote the catalogue to ${file}\n`);
  } else {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

function followRemote(client: ShoeboxClient, started: GenerationJobInfo): Promise<GenerationJobInfo> {
  return follow(started, (id) => client.request<GenerationJobInfo>('GET', `/api/generate/jobs/${id}`));
}

/** On the library: its worker (this process, or a cluster's) runs the job; then the images' own steps are awaited. */
async function followLocal(lib: Library, started: GenerationJobInfo): Promise<GenerationJobInfo> {
  const { generationJob } = await import('../library/create/index.js');
  if (!lib.settings.redisUrl) await lib.startPipeline();
  const job = await follow(started, (id) => generationJob(lib, id));
  if (!lib.settings.redisUrl) await lib.queue.idle();
  return job;
}

/** Reads the job until it has ended, saying on stderr how many images are done whenever that changes. */
async function follow(started: GenerationJobInfo, read: (id: string) => Promise<GenerationJobInfo>): Promise<GenerationJobInfo> {
  let job = started;
  let shown = -1;
  while (!isOver(job)) {
    if (job.made + job.failed !== shown) process.stderr.write(`${job.state}: ${(shown = job.made + job.failed)} of ${job.requested} images\n`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = await read(job.id);
  }
  return job;
}

const isOver = (job: GenerationJobInfo) => job.state !== 'queued' && job.state !== 'running';

/** Product shots need each photo's preview: imported files are given time for their first step. */
async function waitRemoteThumbnails(client: ShoeboxClient, ids: string[]): Promise<void> {
  let waiting = ids;
  while (waiting.length > 0) {
    const photos = await Promise.all(waiting.map((id) => client.request<{ id: string; hasThumbnail: boolean; state: string }>('GET', `/api/photos/${id}`)));
    waiting = photos.filter((photo) => !photo.hasThumbnail && !isTerminal(photo.state)).map((photo) => photo.id);
    if (waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function waitLocalThumbnails(lib: Library, ids: string[]): Promise<void> {
  const [{ inArray }, { photos }] = await Promise.all([import('drizzle-orm'), import('../db/schema.js')]);
  for (;;) {
    const rows = await lib.db.select({ id: photos.id, thumbnailAt: photos.thumbnailAt, state: photos.state }).from(photos).where(inArray(photos.id, ids));
    if (rows.every((row) => row.thumbnailAt || isTerminal(row.state))) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function report(job: GenerationJobInfo, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
  } else {
    for (const id of job.photoIds) process.stdout.write(`${id}\n`);
    for (const failure of job.failures) process.stderr.write(`image ${failure.index + 1}: ${failure.error}\n`);
    for (const [product, album] of Object.entries(job.albums)) process.stderr.write(`product ${product}: album ${album}\n`);
    process.stderr.write(`${job.state}: ${job.made} of ${job.requested} images made${job.error ? ` — ${job.error}` : ''}\n`);
  }
  if (job.state === 'failed' || job.state === 'cancelled') process.exitCode = 1;
}
