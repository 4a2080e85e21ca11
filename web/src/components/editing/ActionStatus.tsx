import '../../styles/editing.css';

export interface StatusMessage {
  text: string;
  error?: boolean;
  /** Offered next to the message ("Undo"). */
  action?: { label: string; run: () => void };
}

/**
 * What the last action did, in a polite live region that is always in the page (so that screen readers announce
 * each new message), with an optional action such as Undo and a close button.
 */
export function ActionStatus({ status, onDismiss }: { status: StatusMessage | null; onDismiss: () => void }) {
  return (
    <div role="status" aria-live="polite" className={`action-status ${status?.error ? 'action-status-error' : ''}`} data-testid="action-status">
      {status ? (
        <>
          <span>{status.text}</span>
          {status.action ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                status.action!.run();
              }}
            >
              {status.action.label}
            </button>
          ) : null}
          <button type="button" className="button button-ghost" aria-label="Dismiss message" onClick={onDismiss}>
            ×
          </button>
        </>
      ) : null}
    </div>
  );
}
