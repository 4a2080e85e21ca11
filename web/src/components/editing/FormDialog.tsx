import '../../styles/editing.css';
import { useId, type FormEvent, type ReactNode } from 'react';
import { useModalDialog } from '../../hooks/useModalDialog.js';

interface Props {
  open: boolean;
  title: string;
  /** The submit button's label. */
  submitLabel: string;
  /** Whether the form may be submitted now. */
  canSubmit?: boolean;
  busy?: boolean;
  danger?: boolean;
  /** The server's answer when submitting failed. */
  error?: string | null;
  className?: string;
  children: ReactNode;
  onSubmit: () => void;
  onCancel: () => void;
}

/**
 * A modal form on the native <dialog>: focus stays inside, Escape and the backdrop cancel (not while busy), focus
 * goes back where it was when it closes. The first field with `autoFocus` gets the focus.
 */
export function FormDialog({ open, title, submitLabel, canSubmit = true, busy, danger, error, className, children, onSubmit, onCancel }: Props) {
  const dialog = useModalDialog(open);
  const titleId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canSubmit && !busy) onSubmit();
  };

  return (
    <dialog
      ref={dialog}
      className={`dialog ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      onClick={(event) => {
        if (event.target === dialog.current && !busy) onCancel();
      }}
    >
      {open ? (
        <form className="dialog-body" onSubmit={submit}>
          <h2 id={titleId}>{title}</h2>
          <div className="dialog-text">{children}</div>
          {error ? (
            <p className="banner banner-error dialog-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
            <button
              type="submit"
              className={`button ${danger ? 'button-danger' : 'button-primary'}`}
              disabled={!canSubmit || busy}
              data-testid="dialog-submit"
            >
              {busy ? 'Working…' : submitLabel}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
