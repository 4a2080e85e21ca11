// Running a generation job on a worker: claim it (lease-based, so that a worker that dies leaves it to another),
// ask the provider for one image at a time within the process's slots, store each as a photo of the user the
// moment it comes, and end in completed, partial, failed or cancelled with the reasons. A job taken again after a
// crash makes only the images it has neither stored nor failed.
import { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { rows, type Db } from '../../db/connection.js';
import { generationJobs, photos, type GenerationFailure, type GenerationJobRow, type Provenance } from '../../db/schema.js';
import { ImageGenerationError, type GeneratedImage, type ImageProvider } from '../../ml/images/index.js';
import { derivedKey } from '../../storage/keys.js';
import { ingestStream } from '../ingest.js';
import type { Library, LibraryContext } from '../library.js';
import { asOwner } from '../owner.js';
import { parseSize } from './requests.js';
import { Slots } from './slots.js';

/** How often a running job looks whether it was cancelled (a primary-key read). */
const CANCEL_POLL_MS = 1000;
/** Formats a provider may answer with that Shoebox stores as they are. */
const STORED_FORMATS = new Set(['png', 'jpeg', 'webp', 'avif', 'heif', 'gif', 'tiff']);

export interface GenerationRunner {
  context: LibraryContext;
  /** Images made at once by this process, over all its jobs. */
  slots: Slots;
  leaseMs: number;
  /** Aborted when the process stops: running jobs stop between images and are left for the next worker. */
  closing: AbortSignal;
}

interface StoredRequest {
  prompt: string;
  negativePrompt: string | null;
  n: number;
  size: string;
  seed: number | null;
  sourcePhotoId: string | null;
  mode: 'text' | 'edit';
  strength: number | null;
}

export async function runGenerationJob(runner: GenerationRunner, jobId: string): Promise<void> {
  const { context } = runner;
  const job = await claim(context.db, jobId, runner.leaseMs);
  if (!job) return; // ended, cancelled, or another worker holds it
  const lib = asOwner(context, job.ownerId);
  const request = job.request as unknown as StoredRequest;
  const stop = new AbortController();
  let stopReason: string | null = null;
  const watch = watchJob(context.db, job.id, runner, stop, (reason) => (stopReason ??= reason));
  try {
    const provider = context.images.get(job.provider);
    if (!provider) {
      await finish(
        context.db,
        job.id,
        `the image provider "${job.provider}" is not configured on this worker: add it to its settings (SHOEBOX_IMAGE_PROVIDERS)`,
      );
      return;
    }
    const size = parseSize(request.size);
    if (typeof size === 'string') {
      await finish(context.db, job.id, size);
      return;
    }
    const source = request.mode === 'edit' ? await sourceImage(lib, request.sourcePhotoId, size) : null;
    if (request.mode === 'edit' && !source) {
      await finish(context.db, job.id, 'the source photo is gone, or has no preview to start from');
      return;
    }
    const done = await settledIndexes(context.db, job);
    const todo = Array.from({ length: request.n }, (_, index) => index).filter((index) => !done.has(index));
    await Promise.all(
      todo.map((index) =>
        runner.slots.run(async () => {
          if (stop.signal.aborted) return;
          try {
            const image = await makeImage(provider, request, size, index, source, stop.signal);
            if (stop.signal.aborted) return; // cancelled while it was being made: not stored
            await storeImage(lib, job, provider, request, index, image);
          } catch (error) {
            if (stop.signal.aborted && !(error instanceof ImageGenerationError)) return;
            const failure = failureOf(index, error);
            await recordFailure(context.db, job.id, failure);
            if (error instanceof ImageGenerationError && error.stopsTheJob) {
              stopReason ??= failure.error;
              stop.abort();
            } else if (!(error instanceof ImageGenerationError)) {
              context.logger.warn({ jobId: job.id, index, err: error }, 'a generated image could not be stored');
            }
          }
        }),
      ),
    );
    if (runner.closing.aborted && stopReason === null) {
      // the process is stopping: the job is left for the next worker, which makes what is missing
      await context.db.update(generationJobs).set({ leaseUntil: new Date() }).where(eq(generationJobs.id, job.id));
      return;
    }
    await finish(context.db, job.id, stopReason);
  } finally {
    watch.stop();
  }
}

/** Takes a queued job, or a running one whose lease ran out (its worker died); null when there is nothing to take. */
async function claim(db: Db, jobId: string, leaseMs: number): Promise<GenerationJobRow | null> {
  const [job] = await db
    .update(generationJobs)
    .set({
      state: 'running',
      leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      startedAt: sql`coalesce(${generationJobs.startedAt}, now())`,
      attempts: sql`${generationJobs.attempts} + 1`,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(generationJobs.id, jobId),
        sql`${generationJobs.cancelRequestedAt} is null`,
        sql`(${generationJobs.state} = 'queued' or (${generationJobs.state} = 'running' and ${generationJobs.leaseUntil} < now()))`,
      ),
    )
    .returning();
  return job ?? null;
}

/** Renews the lease and looks for a cancellation, until stopped; aborts `stop` when the job is cancelled or the process closes. */
function watchJob(db: Db, jobId: string, runner: GenerationRunner, stop: AbortController, reason: (why: string) => void): { stop(): void } {
  let renewedAt = Date.now();
  const onClose = () => stop.abort();
  runner.closing.addEventListener('abort', onClose);
  const timer = setInterval(() => {
    void (async () => {
      const renew = Date.now() - renewedAt >= runner.leaseMs / 3;
      const [row] = renew
        ? await db
            .update(generationJobs)
            .set({ leaseUntil: sql`now() + ${`${runner.leaseMs} milliseconds`}::interval` })
            .where(eq(generationJobs.id, jobId))
            .returning({ cancelled: generationJobs.cancelRequestedAt })
        : await db.select({ cancelled: generationJobs.cancelRequestedAt }).from(generationJobs).where(eq(generationJobs.id, jobId));
      if (renew) renewedAt = Date.now();
      if (!row || row.cancelled) {
        reason(row ? 'cancelled' : 'the job was removed');
        stop.abort();
      }
    })().catch(() => undefined); // the database away for a moment: the next tick tries again
  }, CANCEL_POLL_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      runner.closing.removeEventListener('abort', onClose);
    },
  };
}

/** Indexes the job has already stored (its photos) or failed (its failures): not made again when it resumes. */
async function settledIndexes(db: Db, job: GenerationJobRow): Promise<Set<number>> {
  const stored = await rows<{ index: number }>(
    db,
    sql`select (provenance->>'index')::int as index from photos where generation_job_id = ${job.id}::uuid`,
  );
  return new Set([...stored.map((row) => row.index), ...job.failures.map((failure) => failure.index)]);
}

async function makeImage(
  provider: ImageProvider,
  request: StoredRequest,
  size: { width: number; height: number },
  index: number,
  source: Buffer | null,
  signal: AbortSignal,
): Promise<GeneratedImage> {
  // each image of a seeded request has its own seed, the next one up, as the web UIs number a batch
  const seed = request.seed === null ? null : request.seed + index;
  const common = { prompt: request.prompt, negativePrompt: request.negativePrompt, size, seed, signal };
  if (source) {
    if (!provider.edit) throw new ImageGenerationError('http', `Image provider "${provider.name}" has no image-to-image endpoint`);
    return provider.edit({ ...common, image: source, strength: request.strength ?? undefined });
  }
  return provider.generate(common);
}

/** The source photo's preview as a PNG of the requested size (cropped to its shape), for image-to-image. */
async function sourceImage(lib: Library, photoId: string | null, size: { width: number; height: number }): Promise<Buffer | null> {
  if (!photoId) return null;
  const [photo] = await lib.db
    .select({ storageLocation: photos.storageLocation, thumbnailAt: photos.thumbnailAt })
    .from(photos)
    .where(and(eq(photos.id, photoId), eq(photos.ownerId, lib.ownerId), sql`${photos.deletedAt} is null`));
  if (!photo?.thumbnailAt) return null;
  const file = await lib.storage.at(photo.storageLocation).localFile(derivedKey(photoId, 'preview.jpg'));
  try {
    return await sharp(file.path).resize(size.width, size.height, { fit: 'cover' }).png().toBuffer();
  } finally {
    await file.release();
  }
}

async function storeImage(
  lib: Library,
  job: GenerationJobRow,
  provider: ImageProvider,
  request: StoredRequest,
  index: number,
  image: GeneratedImage,
) {
  const format = await sharp(image.data)
    .metadata()
    .then((meta) => (meta.width && meta.height ? meta.format : undefined))
    .catch(() => undefined);
  if (!format || !STORED_FORMATS.has(format)) {
    throw new ImageGenerationError('bad-response', `Image provider "${provider.name}" answered with data that is not an image`);
  }
  const generatedAt = new Date();
  const provenance: Provenance = {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    revisedPrompt: image.revisedPrompt,
    provider: provider.name,
    providerKind: provider.kind,
    model: provider.model,
    seed: image.seed,
    size: request.size,
    mode: request.mode,
    sourcePhotoId: request.sourcePhotoId,
    jobId: job.id,
    index,
    generatedAt: generatedAt.toISOString(),
  };
  const stored = await ingestStream(lib, {
    filename: `${promptSlug(request.prompt)}-${index + 1}.${format === 'jpeg' ? 'jpg' : format}`,
    stream: Readable.from([image.data]),
    fileModifiedAt: generatedAt,
    generated: { provenance },
  });
  await lib.db
    .update(generationJobs)
    .set({ imagesMade: sql`${generationJobs.imagesMade} + 1`, updatedAt: new Date() })
    .where(eq(generationJobs.id, job.id));
  if (!stored.duplicate) await lib.queue.add(stored.id);
}

/** The prompt's first words as a file name: `a-red-bicycle-by-the-sea`. */
export function promptSlug(prompt: string): string {
  const slug = prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .slice(0, 8)
    .join('-')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'generated';
}

function failureOf(index: number, error: unknown): GenerationFailure {
  if (error instanceof ImageGenerationError) return { index, error: error.message, refused: error.code === 'refused' };
  const message = error instanceof Error ? error.message : String(error);
  return { index, error: `the image could not be stored: ${message}`, refused: false };
}

async function recordFailure(db: Db, jobId: string, failure: GenerationFailure): Promise<void> {
  await db
    .update(generationJobs)
    .set({ failures: sql`${generationJobs.failures} || ${JSON.stringify([failure])}::jsonb`, updatedAt: new Date() })
    .where(eq(generationJobs.id, jobId));
}

/** Ends the job: cancelled, completed (every image), partial (some), or failed (none), with the reason. */
async function finish(db: Db, jobId: string, stopReason: string | null): Promise<void> {
  await db
    .update(generationJobs)
    .set({
      state: sql`case when ${generationJobs.cancelRequestedAt} is not null then 'cancelled'
                      when ${generationJobs.imagesMade} >= ${generationJobs.imagesRequested} then 'completed'
                      when ${generationJobs.imagesMade} > 0 then 'partial'
                      else 'failed' end`,
      error: sql`case when ${generationJobs.cancelRequestedAt} is not null then null
                      when ${stopReason}::text is not null then ${stopReason}::text
                      when ${generationJobs.imagesMade} >= ${generationJobs.imagesRequested} then null
                      else ${generationJobs.failures}->0->>'error' end`,
      finishedAt: new Date(),
      leaseUntil: null,
      updatedAt: new Date(),
    })
    .where(eq(generationJobs.id, jobId));
}
