// The pipeline's progress: a snapshot, and a live stream of snapshots (server-sent events).
import { request } from '../api.js';

export interface StepProgress {
  pending: number;
  running: number;
  done: number;
  skipped: number;
  failed: number;
}

export interface JobFailure {
  photoId: string;
  filename: string;
  step: string;
  error: string;
  /** ISO 8601 */
  at: string;
}

export interface JobsSnapshot {
  /** Photos per state: pending, processing, completed, partial, failed. */
  states: Record<string, number>;
  /** Per pipeline step, in pipeline order. */
  steps: Record<string, StepProgress>;
  queue: { depth: number };
  /** Photos finished per minute over the last `windowSeconds`. */
  rate: { photosPerMinute: number; windowSeconds: number };
  /** Seconds until the pending and processing photos are done at that rate; null when idle or unknown. */
  etaSeconds: number | null;
  /** Newest failed steps first. */
  failures: JobFailure[];
  failuresTotal: number;
  /** ISO 8601, when the snapshot was taken. */
  at: string;
}

export function getJobs(signal?: AbortSignal): Promise<JobsSnapshot> {
  return request('GET', '/api/jobs', { signal });
}

/** The URL of the event stream: `event: jobs` with a JobsSnapshot as data, at once and on every change. */
export const JOBS_EVENTS_URL = '/api/jobs/events';
