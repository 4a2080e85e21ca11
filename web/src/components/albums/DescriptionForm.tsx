import { useId, useState } from 'react';
import { useAction } from '../../hooks/useAction.js';
import { FormActions } from '../editing/FormActions.js';

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
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
