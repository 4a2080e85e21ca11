import '../styles/jobs.css';
import { formatCount } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useAfterStartup, useJobs, workingCount } from '../store/jobs.js';
import { ProgressRing } from './jobs/ProgressRing.js';

/** A small progress ring in the header while the pipeline has work; a link to the jobs page. Hidden when idle. */
export function JobsIndicator() {
  return useAfterStartup() ? <JobsRing /> : null;
}

function JobsRing() {
  const { snapshot, batch } = useJobs();
  const working = snapshot ? workingCount(snapshot) : 0;
  if (working === 0) return null;
  const fraction = batch && batch.total > 0 ? batch.done / batch.total : 0;
  const label = `Processing: ${formatCount(working)} ${working === 1 ? 'item' : 'items'} left${
    batch ? `, ${Math.floor(fraction * 100)}% done` : ''
  }. Open the jobs page`;
  return (
    <Link to="/jobs" className="jobs-indicator" data-testid="jobs-indicator" data-working={working} aria-label={label} title={label}>
      <ProgressRing fraction={fraction} size={22} />
      <span className="jobs-indicator-count" aria-hidden="true">
        {formatCount(working)}
      </span>
    </Link>
  );
}
