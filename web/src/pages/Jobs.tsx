import { useEffect } from 'react';
import '../styles/jobs.css';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { FailureList } from '../components/jobs/FailureList.js';
import { ModelList } from '../components/jobs/ModelList.js';
import { SizeNotice } from '../components/jobs/SizeNotice.js';
import { StateSummary } from '../components/jobs/StateSummary.js';
import { StepList } from '../components/jobs/StepList.js';
import { formatEta, formatRate } from '../components/relative-time.js';
import { formatCount, plural } from '../lib/format.js';
import { finishedCount, jobsStore, useJobs, workingCount, type JobsState } from '../store/jobs.js';

/** The pipeline at work: photos per state, progress per step, speed and time left, failures to retry, models. */
export function JobsPage() {
  const jobs = useJobs();
  const { snapshot } = jobs;

  useEffect(() => {
    document.title = 'Jobs · Shoebox';
  }, []);

  const refresh = () => void jobsStore.refresh();

  if (!snapshot) {
    return (
      <main className="jobs-page">
        <h1>Jobs</h1>
        {jobs.error ? (
          <ErrorPanel title="Cannot load the pipeline's progress" message={jobs.error} onRetry={refresh} />
        ) : (
          <p className="muted" role="status">
            <span className="spinner spinner-inline" aria-hidden="true" /> Connecting to the server…
          </p>
        )}
      </main>
    );
  }

  const empty = workingCount(snapshot) + finishedCount(snapshot) === 0;
  return (
    <main className="jobs-page" aria-busy={workingCount(snapshot) > 0}>
      <div className="jobs-title-row">
        <h1>Jobs</h1>
        <ConnectionBadge connection={jobs.connection} />
      </div>
      {jobs.error ? (
        <p className="banner banner-error" role="alert">
          Lost touch with the server: {jobs.error}. The numbers below may be out of date.
        </p>
      ) : null}
      <SizeNotice />
      <Overview jobs={jobs} />
      {empty ? (
        <section className="jobs-section jobs-empty">
          <h2>Nothing to process yet</h2>
          <p>
            Drop photos or folders anywhere on this page, use <strong>Upload</strong> above, or run <code>shoebox import ~/Pictures</code> on the server. Each
            photo then goes through the pipeline below, and its progress shows here as it happens.
          </p>
        </section>
      ) : (
        <div className="jobs-grid">
          <div className="jobs-column">
            <StateSummary states={snapshot.states} />
            <FailureList failures={snapshot.failures} total={snapshot.failuresTotal} onRetried={refresh} />
          </div>
          <StepList steps={snapshot.steps} onRetried={refresh} />
        </div>
      )}
      <ModelList />
    </main>
  );
}

/** The headline: working or idle, how far along, how fast, how long still. */
function Overview({ jobs }: { jobs: JobsState }) {
  const snapshot = jobs.snapshot!;
  const working = workingCount(snapshot);
  const { batch } = jobs;
  const percent = batch && batch.total > 0 ? Math.floor((batch.done / batch.total) * 100) : 0;
  return (
    <section className={`jobs-overview${working > 0 ? ' jobs-overview-busy' : ''}`} aria-labelledby="jobs-overview-title">
      <h2 id="jobs-overview-title" className="jobs-headline" data-testid="jobs-working" data-value={working}>
        {working > 0 ? (
          <>
            <span className="spinner spinner-inline" aria-hidden="true" /> {plural(working, 'item', 'items')} to process
          </>
        ) : (
          'All caught up: nothing waiting'
        )}
      </h2>
      {working > 0 && batch ? (
        <div className="jobs-batch-progress">
          <div
            className="jobs-batch-bar"
            role="progressbar"
            aria-label="Progress of the current work"
            aria-valuemin={0}
            aria-valuemax={batch.total}
            aria-valuenow={batch.done}
            aria-valuetext={`${batch.done} of ${batch.total} items done`}
            data-testid="batch-progress"
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          <span className="jobs-batch-text">
            {formatCount(batch.done)} of {formatCount(batch.total)} done ({percent}%)
          </span>
        </div>
      ) : null}
      <dl className="jobs-figures">
        <div>
          <dt>Speed</dt>
          <dd data-testid="jobs-rate">{formatRate(snapshot.rate.photosPerMinute)}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="jobs-eta">{working === 0 ? '—' : snapshot.etaSeconds === null ? 'estimating…' : formatEta(snapshot.etaSeconds)}</dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd data-testid="jobs-queue" data-value={snapshot.queue.depth}>
            {plural(snapshot.queue.depth, 'item', 'items')}
          </dd>
        </div>
      </dl>
      <p className="muted jobs-rate-note">Speed counts the photos and videos finished over the last {windowText(snapshot.rate.windowSeconds)}.</p>
    </section>
  );
}

const windowText = (seconds: number) => (seconds < 120 ? `${Math.round(seconds)} seconds` : `${Math.round(seconds / 60)} minutes`);

function ConnectionBadge({ connection }: { connection: JobsState['connection'] }) {
  const text = connection === 'live' ? 'Live' : connection === 'polling' ? 'Reconnecting: updating every few seconds' : 'Connecting…';
  return (
    <span className={`jobs-connection jobs-connection-${connection}`} data-testid="jobs-connection" data-connection={connection}>
      <span className="jobs-connection-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
