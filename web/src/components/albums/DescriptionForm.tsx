import { useId, useState } from 'react';
import { useAction } from '../../hooks/useAction.js';

/** The album's description, edited in place (empty removes it); Escape cancels. */
export function DescriptionForm({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => Promise<void>; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const { busy, error, run } = useAction();
  const fieldId = useId();
  return (
    <form
      className="album-description-form"
      onSubmit={(event) => {
        event.preventDefault();
        void run(() => onSave(text));
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) {
          event.preventDefault();
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={fieldId} className="visually-hidden">
        Description
      </label>
      <textarea id={fieldId} value={text} maxLength={10_000} autoFocus disabled={busy} onChange={(event) => setText(event.target.value)} />
      {error ? (
        <p className="name-form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="name-form-actions">
        <button type="submit" className="button button-primary name-form-button" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button name-form-button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
