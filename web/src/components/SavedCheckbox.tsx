import { useEffect, useRef, useState, type ReactNode } from 'react';

interface SavedCheckboxProps {
  /** What the server holds, as the page last loaded it. */
  checked: boolean;
  /** Saves a click; rejects when the server refuses it (the box then goes back). */
  onSave: (next: boolean) => Promise<unknown>;
  disabled?: boolean;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/**
 * A checkbox for a setting the server keeps: a click shows at once and the box holds still until the server
 * answers; after the answer it keeps showing the click until the page's own reload brings the saved value (or
 * another one, which is then the truth), so it never flicks back in between. A refusal puts it back.
 */
export function SavedCheckbox({ checked, onSave, disabled = false, className = 'check', testId, children }: SavedCheckboxProps) {
  const [asked, setAsked] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const loaded = useRef(checked);
  /** The page loaded the setting again while the save was under way (a page that takes the answer itself). */
  const reloadedWhileSaving = useRef(false);
  useEffect(() => {
    const reloaded = loaded.current !== checked;
    loaded.current = checked;
    if (asked === null) return;
    if (saving) {
      if (reloaded) reloadedWhileSaving.current = true;
      return;
    }
    // the saved value came, or another one the page loaded after the click (a change made elsewhere): the truth
    if (reloaded || reloadedWhileSaving.current || asked === checked) {
      reloadedWhileSaving.current = false;
      setAsked(null);
    }
  }, [checked, saving, asked]);
  const change = (next: boolean) => {
    reloadedWhileSaving.current = false;
    setAsked(next);
    setSaving(true);
    onSave(next).then(
      () => setSaving(false),
      () => {
        setAsked(null);
        setSaving(false);
      },
    );
  };
  return (
    <label className={className}>
      <input type="checkbox" checked={asked ?? checked} disabled={disabled || saving} onChange={(event) => change(event.target.checked)} data-testid={testId} />{' '}
      {children}
    </label>
  );
}
