import type { StepStatus } from '../api.js';

const PHOTO_STATE_LABELS: Record<string, string> = {
  pending: 'waiting',
  processing: 'processing…',
  completed: 'completed',
  partial: 'partly processed',
  failed: 'failed',
};

/** The photo's state as a coloured pill. */
export function PhotoStateBadge({ state }: { state: string }) {
  return (
    <span className={`badge badge-${state}`} data-state={state}>
      {PHOTO_STATE_LABELS[state] ?? state}
    </span>
  );
}

export const photoStateLabel = (state: string): string => PHOTO_STATE_LABELS[state] ?? state;

/** A pipeline step's status as a coloured pill. */
export function StepStatusBadge({ status }: { status: StepStatus | (string & {}) }) {
  return (
    <span className={`badge badge-step-${status}`} data-status={status}>
      {status === 'running' ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
      {status}
    </span>
  );
}
