// Worker thread entry: clusterPhotos off the main thread, so that a large library's regeneration (seconds of
// CPU) does not stop the server and the pipeline meanwhile. Input and output as in auto-clustering-thread.ts's clusterOffThread.
import { parentPort, workerData } from 'node:worker_threads';
import type { AlbumPhoto, AutoClusteringParams } from './auto-clustering-params.js';
import { clusterPhotos } from './auto-clustering.js';

export interface ClusteringJob {
  ids: string[];
  dim: number;
  /** ids.length × dim values, row by row. */
  vectors: Float32Array;
  /** Milliseconds of each photo's date taken; NaN when unknown. */
  taken: Float64Array;
  places: (string | null)[];
  params: Partial<AutoClusteringParams>;
}

const job = workerData as ClusteringJob;
const photos: AlbumPhoto[] = job.ids.map((photoId, i) => ({
  photoId,
  embedding: job.vectors.subarray(i * job.dim, (i + 1) * job.dim),
  takenAt: Number.isNaN(job.taken[i]!) ? null : new Date(job.taken[i]!),
  place: job.places[i] ?? null,
}));
parentPort!.postMessage(clusterPhotos(photos, job.params));
