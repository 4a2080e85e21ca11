// Automatic albums: clusterPhotos in a worker thread (auto-clustering-worker.ts is the thread's side), so that a large
// library's regeneration does not stop the server and the pipeline. Apart from the regeneration because it is
// transport only: it packs the photos, starts the thread and waits for its answer.
import { startWorker, workerEntry } from '../../ml/worker-url.js';
import type { AlbumPhoto, AutoCluster, AutoClusteringParams } from './auto-clustering-params.js';
import type { ClusteringJob } from './auto-clustering-worker.js';

/**
 * From this many photos, clustering runs in a worker thread. Measured on this 2-core machine (512-d, random
 * vectors): 0.05 s at 500 photos, 0.15 s at 1,000, 0.6 s at 2,000, and auto-clustering.ts estimates 20 s at
 * 10,000, during which the server and the pipeline would stand still on the main thread. Below it, a thread's
 * start costs about what it saves.
 */
export const WORKER_MIN_PHOTOS = 1000;

/** clusterPhotos in a worker thread (auto-clustering-worker.ts); the embeddings travel as one transferred buffer. */
export async function clusterOffThread(photos: readonly AlbumPhoto[], params: AutoClusteringParams): Promise<AutoCluster[]> {
  const dim = photos[0]?.embedding.length ?? 0;
  const vectors = new Float32Array(photos.length * dim);
  const taken = new Float64Array(photos.length);
  photos.forEach((photo, i) => {
    if (photo.embedding.length !== dim) throw new RangeError(`photo ${photo.photoId}: dimension ${photo.embedding.length}, expected ${dim}`);
    vectors.set(photo.embedding, i * dim);
    taken[i] = photo.takenAt?.getTime() ?? NaN;
  });
  const job: ClusteringJob = { ids: photos.map((photo) => photo.photoId), dim, vectors, taken, places: photos.map((photo) => photo.place), params };
  const worker = startWorker(workerEntry(import.meta.url, 'auto-clustering-worker'), { workerData: job, transferList: [vectors.buffer, taken.buffer] });
  try {
    return await new Promise<AutoCluster[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the clustering worker stopped (exit code ${code}) before answering`)));
    });
  } finally {
    await worker.terminate();
  }
}
