// Generation jobs as the API sees them: asked for (provider and daily quota checked), listed, read, cancelled.
// A worker runs them (run.ts); the database row is the truth the queue only points at.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { generationJobs, photos, users, type GenerationJobRow } from '../../db/schema.js';
import { NO_IMAGE_PROVIDER } from '../../ml/images/index.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { formatSize, type ImageRequest } from './requests.js';
import { owns, ownsSql, type OwnerView } from '../../scope/rows.js';
import { inTransaction, mayChange } from '../actors.js';

export const OPEN_JOB_STATES = ['queued', 'running'] as const;
export const GENERATION_JOB_STATES = ['queued', 'running', 'completed', 'partial', 'failed', 'cancelled'] as const;
export type GenerationJobState = (typeof GENERATION_JOB_STATES)[number];

/** A job as the API and the jobs events show it. */
export interface GenerationJobInfo {
  id: string;
  kind: string;
  state: GenerationJobState;
  provider: string;
  prompt: string;
  size: string;
  requested: number;
  made: number;
  failed: number;
  /** The photos it stored so far, in the order they were asked for. */
  photoIds: string[];
  failures: { index: number; error: string; refused: boolean }[];
  error: string | null;
  sourcePhotoId: string | null;
  /** A product-shots job: each product's album, by product photo id. */
  albums: Record<string, string>;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The provider a request names, or the default one; 409 with the settings to add when there is none. */
export function chooseProvider(lib: Library, name: string | undefined): string {
  const providers = lib.images;
  if (providers.names.length === 0) throw new UserError('conflict', NO_IMAGE_PROVIDER);
  const chosen = name ?? providers.defaultName!;
  if (!providers.get(chosen)) {
    throw new UserError('invalid', `no image provider named ${JSON.stringify(chosen)}: this server has ${providers.names.join(', ')}`);
  }
  return chosen;
}

/**
 * Images this user may still ask for in the next 24 hours: their own figure (set by an admin; 0 allows none), else
 * the server's SHOEBOX_GENERATION_IMAGES_PER_DAY (0: no limit). `limit` and `left` are null without a limit.
 */
export async function imagesLeftToday(owner: OwnerView, serverLimit: number): Promise<{ limit: number | null; used: number; left: number | null }> {
  const { db } = owner;
  const [user] = await db.select({ own: users.generationImagesPerDay }).from(users).where(eq(users.id, owner.ownerId));
  const limit = user?.own ?? (serverLimit === 0 ? null : serverLimit);
  // counted over the last 24 hours: images asked for by jobs still open, images made by jobs that ended (a failed image costs nothing)
  const [row] = await rows<{ used: number }>(
    db,
    sql`select coalesce(sum(case when state in ('queued', 'running') then images_requested else images_made end), 0)::int as used
        from generation_jobs where ${ownsSql(owner, 'generation_jobs')} and created_at > now() - interval '24 hours'`,
  );
  const used = row?.used ?? 0;
  return { limit, used, left: limit === null ? null : Math.max(0, limit - used) };
}

/**
 * Records the job (after the quota check, under a per-user lock so that two requests at once cannot both take
 * the last images) and queues it.
 */
export async function startGeneration(
  lib: Library,
  job: { kind: 'generate' | 'product-shots'; provider: string; imagesRequested: number; request: Record<string, unknown> },
): Promise<GenerationJobInfo> {
  mayChange(lib);
  const row = await lib.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`generation:${lib.ownerId}`}))`);
    const left = await imagesLeftToday(inTransaction(lib, tx as unknown as Db), lib.settings.images.imagesPerDay);
    if (left.left !== null && job.imagesRequested > left.left) throw quotaRefusal(left, job.imagesRequested);
    const [inserted] = await tx
      .insert(generationJobs)
      .values({ ownerId: lib.ownerId, kind: job.kind, provider: job.provider, request: job.request, imagesRequested: job.imagesRequested })
      .returning();
    return inserted!;
  });
  await lib.generationQueue.add(row.id);
  return jobInfo(row, []);
}

/** The 429 for a request over the user's daily images, with the figures and who can raise it. */
export function quotaRefusal(left: { limit: number | null; used: number; left: number | null }, requested: number): UserError {
  return new UserError(
    'too-many-requests',
    `over your image-generation quota: ${left.used} of ${left.limit} images used in the last 24 hours, this asks for ${requested}` +
      (left.left ? ` (${left.left} left)` : '') +
      '; an admin can raise it (SHOEBOX_GENERATION_IMAGES_PER_DAY, or per user)',
  );
}

/** A text-to-image or image-to-image request as its job keeps it. */
export function generateRecord(request: ImageRequest): Record<string, unknown> {
  return {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt ?? null,
    n: request.n,
    size: formatSize(request.size),
    seed: request.seed ?? null,
    sourcePhotoId: request.sourcePhotoId ?? null,
    mode: request.mode,
    strength: request.strength ?? null,
  };
}

export async function generationJob(lib: Library, id: string): Promise<GenerationJobInfo> {
  const [job] = await lib.db
    .select()
    .from(generationJobs)
    .where(and(eq(generationJobs.id, id), owns(lib, generationJobs)));
  if (!job) throw new UserError('not-found', `no generation job with id ${id}`);
  return jobInfo(job, await madePhotos(lib, [id]).then((made) => made.get(id) ?? []));
}

/** The user's jobs, newest first. */
export async function listGenerationJobs(lib: Library, options: { limit: number; open?: boolean; since?: Date }): Promise<GenerationJobInfo[]> {
  const conditions = [owns(lib, generationJobs)];
  if (options.open) conditions.push(inArray(generationJobs.state, [...OPEN_JOB_STATES]));
  if (options.since)
    conditions.push(sql`(${generationJobs.state} in ('queued', 'running') or ${generationJobs.updatedAt} >= ${options.since.toISOString()}::timestamptz)`);
  const jobs = await lib.db
    .select()
    .from(generationJobs)
    .where(and(...conditions))
    .orderBy(desc(generationJobs.createdAt))
    .limit(options.limit);
  const made = await madePhotos(
    lib,
    jobs.map((job) => job.id),
  );
  return jobs.map((job) => jobInfo(job, made.get(job.id) ?? []));
}

/**
 * Stops a job: a queued one at once, a running one between images (the image being made is dropped when it
 * comes). Images it stored stay. A job that has ended is left as it is.
 */
export async function cancelGeneration(lib: Library, id: string): Promise<GenerationJobInfo> {
  mayChange(lib);
  await lib.db
    .update(generationJobs)
    .set({ state: 'cancelled', finishedAt: new Date(), updatedAt: new Date(), cancelRequestedAt: new Date() })
    .where(and(eq(generationJobs.id, id), owns(lib, generationJobs), eq(generationJobs.state, 'queued')));
  await lib.db
    .update(generationJobs)
    .set({ cancelRequestedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(generationJobs.id, id), owns(lib, generationJobs), eq(generationJobs.state, 'running')));
  return generationJob(lib, id);
}

/** The photos each job stored (live or in the trash), by the index they were asked for. */
async function madePhotos(lib: Library, jobIds: string[]): Promise<Map<string, string[]>> {
  const made = new Map<string, string[]>();
  if (jobIds.length === 0) return made;
  const found = await lib.db
    .select({ id: photos.id, jobId: photos.generationJobId, index: sql<number>`(${photos.provenance}->>'index')::int` })
    .from(photos)
    .where(and(inArray(photos.generationJobId, jobIds), owns(lib, photos)))
    .orderBy(sql`(${photos.provenance}->>'index')::int`);
  for (const row of found) {
    const list = made.get(row.jobId!) ?? [];
    list.push(row.id);
    made.set(row.jobId!, list);
  }
  return made;
}

export function jobInfo(job: GenerationJobRow, photoIds: string[]): GenerationJobInfo {
  const request = job.request as {
    prompt?: string;
    size?: string;
    sourcePhotoId?: string | null;
    productType?: string;
    shots?: string[];
    photoIds?: string[];
  };
  return {
    id: job.id,
    kind: job.kind,
    state: job.state as GenerationJobState,
    provider: job.provider,
    prompt:
      job.kind === 'product-shots'
        ? `${request.productType} product shots (${request.shots?.join(', ')}) of ${request.photoIds?.length} photo(s)`
        : (request.prompt ?? ''),
    size: request.size ?? '',
    requested: job.imagesRequested,
    made: job.imagesMade,
    failed: job.failures.length,
    photoIds,
    failures: job.failures,
    error: job.error,
    sourcePhotoId: request.sourcePhotoId ?? null,
    albums: job.albums,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
