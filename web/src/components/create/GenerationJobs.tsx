import { useEffect, useState } from 'react';
import { albumZipUrl, cancelGeneration, listGenerationJobs, thumbnailUrl, type GenerationJobInfo } from '../../client/create.js';
import { Link } from '../../lib/router.js';
import { useJobs } from '../../store/jobs.js';
import { getPhoto } from '../../client/photo.js';
import { isTerminal } from '../../api.js';

const STATE_LABELS: Record<string, string> = {
  queued: 'Waiting',
  running: 'Making images',
  completed: 'Done',
  partial: 'Partly done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * The user's generation jobs, live: the jobs event stream carries the open and recent ones (its `generation`
 * list), merged over the list read when the page opened and the jobs this page just started.
 */
export function GenerationJobs({ started }: { started: GenerationJobInfo[] }) {
  const { snapshot } = useJobs();
  const [listed, setListed] = useState<GenerationJobInfo[]>([]);
  const [cancelling, setCancelling] = useState<Set<string>>(new Set());

  useEffect(() => {
    const controller = new AbortController();
    listGenerationJobs(controller.signal).then(
      (answer) => setListed(answer.items),
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  // newest information wins: the stream's, then what this page started, then the list it read
  const byId = new Map<string, GenerationJobInfo>();
  for (const job of [...listed, ...started, ...(snapshot?.generation ?? [])]) {
    const known = byId.get(job.id);
    if (!known || progressOf(job) >= progressOf(known)) byId.set(job.id, job);
  }
  const jobs = [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20);
  if (jobs.length === 0) return null;

  const cancel = async (id: string) => {
    setCancelling((ids) => new Set(ids).add(id));
    try {
      const job = await cancelGeneration(id);
      setListed((list) => [job, ...list.filter((j) => j.id !== id)]);
    } catch {
      // the stream shows where it stands
    }
  };

  return (
    <section className="create-jobs" aria-labelledby="create-jobs-title">
      <h2 id="create-jobs-title">Recent</h2>
      <ul className="create-job-list">
        {jobs.map((job) => {
          const open = job.state === 'queued' || job.state === 'running';
          return (
            <li key={job.id} className={`create-job create-job-${job.state}`} data-testid="generation-job" data-state={job.state}>
              <div className="create-job-head">
                <p className="create-job-prompt" title={job.prompt}>
                  {job.prompt}
                </p>
                <span className="chip" data-testid="generation-state">
                  {STATE_LABELS[job.state] ?? job.state}
                  {open || job.failed > 0 ? ` · ${job.made} of ${job.requested}` : ''}
                </span>
                {open ? (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => void cancel(job.id)}
                    disabled={cancelling.has(job.id)}
                    data-testid="generation-cancel"
                  >
                    {cancelling.has(job.id) ? 'Cancelling…' : 'Cancel'}
                  </button>
                ) : null}
              </div>
              {open ? <progress className="create-job-progress" max={job.requested} value={job.made + job.failed} aria-label="Images made" /> : null}
              {job.photoIds.length > 0 ? (
                <div className="create-job-images">
                  {job.photoIds.map((id) => (
                    <Link key={id} to={`/photos/${id}`} className="create-job-image" data-testid="generated-image">
                      <GeneratedThumbnail id={id} />
                    </Link>
                  ))}
                </div>
              ) : null}
              {Object.keys(job.albums).length > 0 && !open ? (
                <p className="create-job-albums">
                  {Object.values(job.albums).map((album, i) => (
                    <span key={album}>
                      <Link to={`/albums/${album}`}>Set {i + 1}</Link> ·{' '}
                      <a href={albumZipUrl(album)} download>
                        ZIP
                      </a>
                      {'  '}
                    </span>
                  ))}
                </p>
              ) : null}
              {job.error ? (
                <p className="create-job-error" role="alert" data-testid="generation-error">
                  {job.error}
                </p>
              ) : null}
              {job.failures.length > 0 && !job.error ? (
                <details className="create-job-failures">
                  <summary>{job.failures.length === 1 ? 'One image failed' : `${job.failures.length} images failed`}</summary>
                  <ul>
                    {job.failures.map((failure) => (
                      <li key={failure.index}>
                        Image {failure.index + 1}: {failure.error}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** How far a job has got: a later report of the same job never goes back. */
function progressOf(job: GenerationJobInfo): number {
  const ended = job.state === 'queued' ? 0 : job.state === 'running' ? 1 : 2;
  return ended * 100_000 + job.made + job.failed;
}

/** A stored image's thumbnail once the pipeline has made it (a few hundred milliseconds after it is stored). */
function GeneratedThumbnail({ id }: { id: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const look = async () => {
      try {
        const photo = await getPhoto(id);
        if (stopped) return;
        if (photo.hasThumbnail) return setReady(true);
        if (isTerminal(photo.state)) return; // the file could not be read: no thumbnail will come
      } catch {
        if (stopped) return;
      }
      timer = window.setTimeout(() => void look(), 700);
    };
    void look();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [id]);
  return ready ? (
    <img src={thumbnailUrl(id)} alt="A generated image" loading="lazy" />
  ) : (
    <span className="create-job-placeholder" role="img" aria-label="Image being prepared" />
  );
}
