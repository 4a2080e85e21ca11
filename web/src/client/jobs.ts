// The pipeline's progress: a snapshot, and a live stream of snapshots (server-sent events).
import { request } from '../api.js';

// The API's own types, so that the two cannot drift apart (a type-only import: no server code in the bundle).
import type { JobsSnapshot } from '../../../src/api/contract.js';

export type { JobFailure, JobsSnapshot, StepProgress } from '../../../src/api/contract.js';

export function getJobs(signal?: AbortSignal): Promise<JobsSnapshot> {
  return request('GET', '/api/jobs', { signal });
}

/** The URL of the event stream: `event: jobs` with a JobsSnapshot as data, at once and on every change. */
export const JOBS_EVENTS_URL = '/api/jobs/events';
