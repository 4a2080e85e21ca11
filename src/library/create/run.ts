// Running a generation job on a worker: claim it (lease-based, so that a worker that dies leaves it to another),
// ask the provider for one image at a time within the process's slots, store each as a photo of the user the
// moment it comes, and end in completed, partial, failed or cancelled with the reasons. A job taken again after a
// crash makes only the images it has neither stored nor failed.
import { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { rows, type Db } from '../../db/connection.js';
import { albumPhotos, albums, generationJobs, type GenerationFailure, type GenerationJobRow, type Provenance } from '../../db/schema.js';
import { ImageGenerationError, type GeneratedImage, type ImageProvider } from '../../ml/images/index.js';
import { redact } from '../../net/redact.js';
import { ingestStream } from '../ingest/ingest.js';
import { queuePhotos } from '../photos/door.js';
import type { Library, Resources } from '../library.js';
import { forSystem } from '../actors.js';
import { planGenerate, UnitFailure, type ImageUnit } from './plan.js';
import { planProductShots } from './product-shots.js';
import { formatSize } from './requests.js';
import { Slots } from './slots.js';

/** How often a running job looks whether it was cancelled (a primary-key read). */
const CANCEL_POLL_MS = 1000;
/** Formats a provider may answer with that Shoebox stores as they are. */
const STORED_FORMATS = new Set(['png', 'jpeg', 'webp', 'avif', 'heif', 'gif', 'tiff']);

export interface GenerationRunner {
  context: Resources;
  /** Images made at once by this process, over all its jobs. */
  slots: Slots;
  leaseMs: number;
  /** Aborted when the process stops: running jobs stop between images and are left for the next worker. */
  closing: AbortSignal;
}

export async function runGenerationJob(runner: GenerationRunner, jobId: string): Promise<void> {
  const { context } = runner;
  const job = await claim(context.db, jobId, runner.leaseMs);
  if (!job) return; // ended, cancelled, or another worker holds it
  const lib = forSystem(context, job.ownerId, 'generation job');
  const stop = new AbortController();
  let stopReason: string | null = null;
  const watch = watchJob(context.db, job.id, runner, stop, (reason) => (stopReason ??= reason));
  try {
    const provider = context.images.get(job.provider);
    if (!provider) {
      const missing = `the image provider "${job.provider}" is not configured on this worker: add it to its settings (SHOEBOX_IMAGE_PROVIDERS)`;
      await finish(context.db, job.id, missing);
      return;
    }
    const plan = job.kind === 'product-shots' ? await planProductShots(lib, job) : await planGenerate(lib, job);
    if (typeof plan === 'string') {
      await finish(context.db, job.id, plan);
      return;
    }
    const settled = await settledIndexes(context.db, job);
    const todo = plan.units.filter((unit) => !settled.has(unit.index));
    for (const unit of plan.units) if (settled.has(unit.index)) unit.release();
    await Promise.all(
      todo.map((unit) =>
        runner.slots.run(async () => {
          try {
            if (stop.signal.aborted) return;
            const image = await makeImage(provider, unit, stop.signal);
            if (stop.signal.aborted) return; // cancelled while it was being made: not stored
            await storeImage(lib, job, provider, unit, image);
          } catch (error) {
            if (stop.signal.aborted && !(error instanceof ImageGenerationError)) return;
            const failure = failureOf(unit.index, error);
            await recordFailure(context.db, job.id, failure);
            if (error instanceof ImageGenerationError && error.stopsTheJob) {
              stopReason ??= failure.error;
              stop.abort();
            } else if (!(error instanceof ImageGenerationError) && !(error instanceof UnitFailure)) {
              context.logger.warn({ jobId: job.id, index: unit.index, err: error }, 'a generated image could not be stored');
            }
          } finally {
            unit.release();
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
  } catch (error) {
    // the database or the store failed under the job itself: it ends with the reason rather than stay running
    context.logger.error({ jobId: job.id, err: error }, 'generation job stopped');
    const message = error instanceof Error ? error.message : String(error);
    await finish(context.db, job.id, `the job stopped: ${redact(message)}`).catch(() => undefined);
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
  const stored = await rows<{ index: number }>(db, sql`select (provenance->>'index')::int as index from photos where generation_job_id = ${job.id}::uuid`);
  return new Set([...stored.map((row) => row.index), ...job.failures.map((failure) => failure.index)]);
}

async function makeImage(provider: ImageProvider, unit: ImageUnit, signal: AbortSignal): Promise<GeneratedImage> {
  const common = { prompt: unit.prompt, negativePrompt: unit.negativePrompt, size: unit.size, seed: unit.seed, signal };
  const source = await unit.source();
  if (!source) return provider.generate(common);
  if (!provider.edit) throw new ImageGenerationError('http', `Image provider "${provider.name}" has no image-to-image endpoint`);
  return provider.edit({ ...common, image: source.image, mask: source.mask, strength: source.strength });
}

async function storeImage(lib: Library, job: GenerationJobRow, provider: ImageProvider, unit: ImageUnit, image: GeneratedImage) {
  const meta = await sharp(image.data)
    .metadata()
    .catch(() => null);
  if (!meta?.width || !meta.height || !meta.format || !STORED_FORMATS.has(meta.format))
    throw new ImageGenerationError('bad-response', `Image provider "${provider.name}" answered with data that is not an image`);
  const finished = await unit.finish(image.data);
  const format = finished.data === image.data ? meta.format : (await sharp(finished.data).metadata()).format;
  const generatedAt = new Date();
  const provenance: Provenance = {
    prompt: unit.prompt,
    negativePrompt: unit.negativePrompt,
    revisedPrompt: image.revisedPrompt,
    provider: provider.name,
    providerKind: provider.kind,
    model: provider.model,
    seed: image.seed,
    size: formatSize(unit.size),
    jobId: job.id,
    index: unit.index,
    generatedAt: generatedAt.toISOString(),
    ...unit.provenance,
    ...finished.provenance,
  };
  const stored = await ingestStream(lib, {
    filename: `${unit.filename}.${format === 'jpeg' ? 'jpg' : format}`,
    stream: Readable.from([finished.data]),
    fileModifiedAt: generatedAt, // when it was made: its date in the timeline
    source: { kind: 'generated', provenance },
  });
  // its pipeline first (the thumbnail is what the user waits for), the job's bookkeeping after
  if (!stored.duplicate) await queuePhotos(lib, [stored.id]);
  if (unit.albumId) {
    await lib.db.insert(albumPhotos).values({ albumId: unit.albumId, photoId: stored.id }).onConflictDoNothing();
    await lib.db.update(albums).set({ updatedAt: new Date() }).where(eq(albums.id, unit.albumId));
  }
  await lib.db
    .update(generationJobs)
    .set({ imagesMade: sql`${generationJobs.imagesMade} + 1`, updatedAt: new Date() })
    .where(eq(generationJobs.id, job.id));
}

function failureOf(index: number, error: unknown): GenerationFailure {
  if (error instanceof ImageGenerationError) return { index, error: error.message, refused: error.code === 'refused' };
  if (error instanceof UnitFailure) return { index, error: error.message, refused: false };
  const message = error instanceof Error ? error.message : String(error);
  return { index, error: `the image could not be stored: ${redact(message)}`, refused: false };
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
