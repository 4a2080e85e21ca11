import { useId, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { useModalDialog } from '../hooks/useModalDialog.js';

/** The footer's main button: a form's submit button when the dialog is a form, a plain button otherwise. */
export interface DialogAction {
  label: string;
  /** Its label while busy ('Working…' unless said). */
  busyLabel?: string;
  onAction: () => void;
  /** It may not be used now (it is also off while busy). */
  disabled?: boolean;
  danger?: boolean;
  autoFocus?: boolean;
  testId?: string;
}

interface Props {
  open: boolean;
  title: ReactNode;
  /** Places the title's heading among more (a picture beside it): the heading as given, else alone. */
  heading?: (title: ReactElement) => ReactNode;
  children: ReactNode;
  /** Escape, the backdrop and the cancel button; none of them while busy. */
  onCancel: () => void;
  busy?: boolean;
  /** The body is a form: Enter submits it through the main action. */
  form?: boolean;
  action?: DialogAction;
  /** The cancel button's label; null: no cancel button. */
  cancelLabel?: string | null;
  cancelAutoFocus?: boolean;
  /** Buttons before the cancel button (removing, resetting). */
  secondary?: ReactNode;
  /** A click on the backdrop cancels (as Escape does). */
  backdropCancels?: boolean;
  /** The body is built only while open (it reads what the open dialog is for). */
  onlyWhileOpen?: boolean;
  className?: string;
  actionsClassName?: string;
  testId?: string;
}

/**
 * A modal on the native <dialog> with its title and its footer: focus is kept inside and returns where it was when
 * it closes, Escape and (unless said) the backdrop cancel, not while busy; the title names it.
 */
export function Dialog({
  open,
  title,
  heading,
  children,
  onCancel,
  busy = false,
  form = false,
  action,
  cancelLabel = 'Cancel',
  cancelAutoFocus,
  secondary,
  backdropCancels = true,
  onlyWhileOpen = false,
  className,
  actionsClassName,
  testId,
}: Props) {
  const dialog = useModalDialog(open);
  // A page may hold several dialogs: each needs its own title id for its accessible name.
  const titleId = useId();
  const act = () => {
    if (action && !action.disabled && !busy) action.onAction();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    act();
  };
  const titled = <h2 id={titleId}>{title}</h2>;
  const body = (
    <>
      {heading ? heading(titled) : titled}
      {children}
      <div className={actionsClassName ? `dialog-actions ${actionsClassName}` : 'dialog-actions'}>
        {secondary}
        {cancelLabel !== null ? (
          <button type="button" className="button" onClick={onCancel} disabled={busy} autoFocus={cancelAutoFocus}>
            {cancelLabel}
          </button>
        ) : null}
        {action ? (
          <button
            type={form ? 'submit' : 'button'}
            className={`button ${action.danger ? 'button-danger' : 'button-primary'}`}
            onClick={form ? undefined : act}
            disabled={action.disabled || busy}
            autoFocus={action.autoFocus}
            data-testid={action.testId}
          >
            {busy ? (action.busyLabel ?? 'Working…') : action.label}
          </button>
        ) : null}
      </div>
    </>
  );
  return (
    <dialog
      ref={dialog}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      onClick={(event) => {
        // A click on the backdrop is one on the dialog element itself, outside its content.
        if (backdropCancels && event.target === dialog.current && !busy) onCancel();
      }}
    >
      {onlyWhileOpen && !open ? null : form ? (
        <form className="dialog-body" onSubmit={submit}>
          {body}
        </form>
      ) : (
        <div className="dialog-body">{body}</div>
      )}
    </dialog>
  );
}
