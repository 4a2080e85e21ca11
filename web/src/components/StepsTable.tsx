import { Fragment } from 'react';
import { STEP_NAMES } from '../../../src/api/contract.js';
import type { StepInfo } from '../api.js';
import { formatDuration } from '../lib/format.js';
import { stepHint, stepLabel } from './jobs/steps.js';
import { StepStatusBadge } from './StateBadge.js';

/** The order the pipeline runs its steps in; steps the server adds later follow in the order it sends them. */
const ORDER: readonly string[] = STEP_NAMES;

export function sortedSteps(steps: Record<string, StepInfo>): [string, StepInfo][] {
  const rank = (name: string) => {
    const i = ORDER.indexOf(name);
    return i === -1 ? ORDER.length : i;
  };
  return Object.entries(steps).sort(([a], [b]) => rank(a) - rank(b));
}

export function StepsTable({ steps }: { steps: Record<string, StepInfo> }) {
  return (
    <table className="steps-table" data-testid="steps">
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Time
          </th>
          <th scope="col" className="num">
            Tries
          </th>
        </tr>
      </thead>
      <tbody>
        {sortedSteps(steps).map(([name, step]) => (
          <Fragment key={name}>
            <tr data-step={name} data-status={step.status} className={step.error ? 'has-error' : undefined}>
              <th scope="row">
                <span className="step-name">{stepLabel(name)}</span>
                {stepHint(name) ? <span className="step-hint">{stepHint(name)}</span> : null}
              </th>
              <td>
                <StepStatusBadge status={step.status} />
              </td>
              <td className="num">{formatDuration(step.durationMs)}</td>
              <td className="num" title={step.version ? `version ${step.version}` : undefined}>
                {step.attempts}
              </td>
            </tr>
            {step.error ? (
              <tr className="step-error-row" data-step-error={name}>
                <td colSpan={4}>
                  <span className={`step-error step-error-${step.status}`}>{step.error}</span>
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
