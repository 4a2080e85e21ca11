import { useState } from 'react';
import type { JobsSnapshot, StepProgress } from '../../client/jobs.js';
import { reprocessStep } from '../../client/pipeline.js';
import { formatCount } from '../../lib/format.js';
import { stepHint, stepLabel } from './steps.js';

const PARTS = [
  { key: 'done', label: 'done' },
  { key: 'skipped', label: 'skipped' },
  { key: 'failed', label: 'failed' },
  { key: 'running', label: 'running' },
  { key: 'pending', label: 'waiting' },
] as const satisfies readonly { key: keyof StepProgress; label: string }[];

type RetryState = { status: 'busy' } | { status: 'queued'; queued: number } | { status: 'error'; message: string };

/** Progress of every pipeline step (in pipeline order), with "run again" where a step failed. */
export function StepList({ steps, onRetried }: { steps: JobsSnapshot['steps']; onRetried: () => void }) {
  const [retries, setRetries] = useState<Record<string, RetryState>>({});
  const entries = Object.entries(steps);

  const retry = async (step: string) => {
    setRetries((r) => ({ ...r, [step]: { status: 'busy' } }));
    try {
      const { queued } = await reprocessStep(step);
      setRetries((r) => ({ ...r, [step]: { status: 'queued', queued } }));
      onRetried();
    } catch (error) {
      setRetries((r) => ({ ...r, [step]: { status: 'error', message: error instanceof Error ? error.message : String(error) } }));
    }
  };

  return (
    <section className="jobs-section" aria-labelledby="jobs-steps-title">
      <h2 id="jobs-steps-title">Pipeline steps</h2>
      {entries.length === 0 ? <p className="muted">No steps have run yet.</p> : null}
      <ul className="jobs-step-list">
        {entries.map(([step, progress]) => {
          const total = PARTS.reduce((sum, { key }) => sum + progress[key], 0);
          const finished = progress.done + progress.skipped + progress.failed;
          const retryState = retries[step];
          const hint = stepHint(step);
          return (
            <li key={step} className="jobs-step-row" data-step={step} data-testid="step-row">
              <div className="jobs-step-row-head">
                <span className="jobs-step-row-name">
                  {stepLabel(step)}
                  {hint ? <span className="step-hint">{hint}</span> : null}
                </span>
                <span className="jobs-step-row-fraction">
                  {formatCount(finished)} / {formatCount(total)}
                </span>
              </div>
              <div
                className="jobs-bar"
                role="progressbar"
                aria-label={`${stepLabel(step)}: finished for ${finished} of ${total} ${total === 1 ? 'item' : 'items'}`}
                aria-valuemin={0}
                aria-valuemax={total}
                aria-valuenow={finished}
              >
                {PARTS.map(({ key }) => (progress[key] ? <span key={key} className={`jobs-fill-step-${key}`} style={{ flexGrow: progress[key] }} /> : null))}
              </div>
              <div className="jobs-step-row-foot">
                <ul className="jobs-step-counts">
                  {PARTS.map(({ key, label }) =>
                    progress[key] ? (
                      <li key={key} data-count={key}>
                        <span className={`jobs-dot jobs-fill-step-${key}`} aria-hidden="true" />
                        {formatCount(progress[key])} {label}
                      </li>
                    ) : null,
                  )}
                </ul>
                {progress.failed > 0 || retryState ? (
                  <span className="jobs-step-retry">
                    {retryState?.status === 'queued' ? (
                      <span role="status" className="muted">
                        {retryState.queued === 0 ? 'Nothing to run again' : `${formatCount(retryState.queued)} queued again`}
                      </span>
                    ) : null}
                    {retryState?.status === 'error' ? (
                      <span role="alert" className="inline-error">
                        {retryState.message}
                      </span>
                    ) : null}
                    {progress.failed > 0 ? (
                      <button
                        type="button"
                        className="button button-small"
                        disabled={retryState?.status === 'busy'}
                        onClick={() => void retry(step)}
                        title={`Runs ${stepLabel(step).toLowerCase()} again wherever it failed or was skipped, and the steps that depend on it`}
                        data-testid="retry-step"
                      >
                        {retryState?.status === 'busy' ? 'Queuing…' : `Run again for ${formatCount(progress.failed + progress.skipped)}`}
                      </button>
                    ) : null}
                  </span>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
