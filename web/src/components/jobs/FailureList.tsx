import { useState } from 'react';
import { photoUrls } from '../../api.js';
import type { JobFailure } from '../../client/jobs.js';
import { retryPhoto } from '../../client/pipeline.js';
import { formatCount } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { formatInstant, formatRelative } from '../relative-time.js';
import { stepLabel } from './steps.js';

interface PhotoFailures {
  photoId: string;
  filename: string;
  /** Newest first, as the server sends them. */
  steps: JobFailure[];
}

/** One entry per photo (a photo can fail several steps), in the server's order: newest failure first. */
function byPhoto(failures: readonly JobFailure[]): PhotoFailures[] {
  const photos = new Map<string, PhotoFailures>();
  for (const failure of failures) {
    const entry = photos.get(failure.photoId) ?? { photoId: failure.photoId, filename: failure.filename, steps: [] };
    entry.steps.push(failure);
    photos.set(failure.photoId, entry);
  }
  return [...photos.values()];
}

type RetryState = { status: 'busy' } | { status: 'error'; message: string };

/** Failed steps with the reasons, and a retry per photo. */
export function FailureList({ failures, total, onRetried }: { failures: JobFailure[]; total: number; onRetried: () => void }) {
  const [retries, setRetries] = useState<Record<string, RetryState>>({});
  const photos = byPhoto(failures);

  const retry = async (photoId: string) => {
    setRetries((r) => ({ ...r, [photoId]: { status: 'busy' } }));
    try {
      await retryPhoto(photoId);
      // The photo leaves the list with the next snapshot (its steps are pending again); it comes back if it fails again.
      setRetries(({ [photoId]: _done, ...rest }) => rest);
      onRetried();
    } catch (error) {
      setRetries((r) => ({ ...r, [photoId]: { status: 'error', message: error instanceof Error ? error.message : String(error) } }));
    }
  };

  return (
    <section className="jobs-section" aria-labelledby="jobs-failures-title">
      <h2 id="jobs-failures-title">
        Failures
        {total > 0 ? <span className="badge badge-failed">{formatCount(total)}</span> : null}
      </h2>
      {photos.length === 0 ? (
        <p className="muted">No failures. When a step fails for a photo, the reason shows here with a way to retry it.</p>
      ) : (
        <>
          {total > failures.length ? (
            <p className="muted">
              The newest {formatCount(failures.length)} of {formatCount(total)} failed steps. Run a step again above to retry all of them.
            </p>
          ) : null}
          <ul className="jobs-failure-list">
            {photos.map((photo) => {
              const state = retries[photo.photoId];
              return (
                <li key={photo.photoId} className="jobs-failure" data-testid="failure" data-photo-id={photo.photoId}>
                  <div className="jobs-failure-head">
                    <Link to={photoUrls.page(photo.photoId)} className="jobs-failure-name">
                      {photo.filename}
                    </Link>
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => void retry(photo.photoId)}
                      disabled={state?.status === 'busy'}
                      aria-label={`Retry ${photo.filename}`}
                      data-testid="retry-photo"
                    >
                      {state?.status === 'busy' ? 'Retrying…' : 'Retry'}
                    </button>
                  </div>
                  <ul className="jobs-failure-steps">
                    {photo.steps.map((failure) => (
                      <li key={failure.step} data-step={failure.step}>
                        <span className="jobs-failure-step">{stepLabel(failure.step)}</span>{' '}
                        {Date.parse(failure.at) > 0 ? (
                          // (a step that failed before its time was recorded has none: the epoch)
                          <time className="muted" dateTime={failure.at} title={formatInstant(failure.at)}>
                            {formatRelative(failure.at)}
                          </time>
                        ) : null}
                        <code className="step-error jobs-failure-reason" data-testid="failure-reason">
                          {failure.error}
                        </code>
                      </li>
                    ))}
                  </ul>
                  {state?.status === 'error' ? (
                    <p role="alert" className="inline-error">
                      Could not retry: {state.message}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
