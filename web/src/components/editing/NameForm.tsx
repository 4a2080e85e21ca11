import '../../styles/editing.css';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { FormActions } from './FormActions.js';

interface Props {
  /** The name as it is now ('' for none). */
  initial: string;
  /** What is being named, for the input's label ("Person's name"). */
  label: string;
  placeholder?: string;
  /** Whether an empty name may be saved (a person may be unnamed; an album may not). */
  allowEmpty?: boolean;
  maxLength?: number;
  className?: string;
  /**
   * Saves the name; a rejected promise's message is shown and editing goes on. Answering 'keep-open' leaves the
   * form open and usable (the page asked the user something else first).
   */
  onSave: (name: string) => Promise<void | 'keep-open'>;
  onCancel: () => void;
}

/**
 * Inline renaming: a text field with Save and Cancel. Enter saves, Escape cancels, the text starts selected so
 * that typing replaces it; an unchanged name just closes the form.
 */
export function NameForm({ initial, label, placeholder, allowEmpty = false, maxLength = 200, className, onSave, onCancel }: Props) {
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = value.trim().replace(/\s+/g, ' ');
    if (name === initial.trim()) return onCancel();
    if (!name && !allowEmpty) {
      setError('Give it a name.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if ((await onSave(name)) === 'keep-open') setBusy(false);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
      input.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      // Keep the Escape from closing a surrounding dialog or page.
      event.preventDefault();
      event.stopPropagation();
      if (!busy) onCancel();
    }
  };

  return (
    <form className={`name-form ${className ?? ''}`} onSubmit={submit} onKeyDown={onKeyDown} data-testid="name-form">
      <input
        ref={input}
        className="name-form-input"
        type="text"
        value={value}
        maxLength={maxLength}
        placeholder={placeholder}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        disabled={busy}
        onChange={(event) => setValue(event.target.value)}
        // Dragging text inside a draggable card must not start dragging the card.
        draggable={false}
        onDragStart={(event) => event.stopPropagation()}
      />
      <FormActions busy={busy} onCancel={onCancel} />
      {error ? (
        <p id={errorId} className="name-form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
