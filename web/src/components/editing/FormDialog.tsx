import '../../styles/editing.css';
import type { ReactNode } from 'react';
import { Dialog } from '../Dialog.js';

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

/** A modal form, built while open: the first field with `autoFocus` gets the focus, Enter submits. */
export function FormDialog({ open, title, submitLabel, canSubmit = true, busy, danger, error, className, children, onSubmit, onCancel }: Props) {
  return (
    <Dialog
      open={open}
      title={title}
      busy={busy}
      onCancel={onCancel}
      form
      onlyWhileOpen
      className={className}
      action={{ label: submitLabel, danger, disabled: !canSubmit, onAction: onSubmit, testId: 'dialog-submit' }}
    >
      <div className="dialog-text">{children}</div>
      {error ? (
        <p className="banner banner-error dialog-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
