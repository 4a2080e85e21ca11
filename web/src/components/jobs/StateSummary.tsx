import type { JobsSnapshot } from '../../client/jobs.js';
import { formatCount } from '../../lib/format.js';

const STATES = [
  { state: 'pending', label: 'Waiting' },
  { state: 'processing', label: 'Processing' },
  { state: 'completed', label: 'Completed' },
  { state: 'partial', label: 'Partly processed' },
  { state: 'failed', label: 'Failed' },
] as const;

/** How many photos are in each state: a stacked bar and the numbers. */
export function StateSummary({ states }: { states: JobsSnapshot['states'] }) {
  const total = STATES.reduce((sum, { state }) => sum + (states[state] ?? 0), 0);
  return (
    <section className="jobs-section" aria-labelledby="jobs-states-title">
      <h2 id="jobs-states-title">Photos</h2>
      {total > 0 ? (
        <div className="jobs-bar jobs-bar-large" aria-hidden="true">
          {STATES.map(({ state }) => (states[state] ? <span key={state} className={`jobs-fill-${state}`} style={{ flexGrow: states[state] }} /> : null))}
        </div>
      ) : null}
      <dl className="jobs-state-counts">
        {STATES.map(({ state, label }) => (
          <div key={state} className={`jobs-state-count jobs-state-count-${state}`} data-testid="state-count" data-state={state}>
            <dt>
              <span className={`jobs-dot jobs-fill-${state}`} aria-hidden="true" />
              {label}
            </dt>
            <dd data-value={states[state] ?? 0}>{formatCount(states[state] ?? 0)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
