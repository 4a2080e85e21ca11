import { useCallback, useState } from 'react';
import { errorText } from '../lib/errors.js';

export interface Action {
  /** The work runs now: its buttons are off. */
  busy: boolean;
  /** What the last run's failure said (null while running and after a success). */
  error: string | null;
  setError: (error: string | null) => void;
  /** Runs `work`, busy meanwhile; resolves whether it succeeded (a failure's message is kept, never thrown). */
  run: (work: () => Promise<unknown>) => Promise<boolean>;
}

/**
 * The try/busy/error of a button's or a form's work, written once. `onError` takes a failure's message instead of
 * `error` (a page that says it in its status line).
 */
export function useAction(onError?: (message: string) => void): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (work: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await work();
        return true;
      } catch (failure) {
        if (onError) onError(errorText(failure));
        else setError(errorText(failure));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [onError],
  );
  return { busy, error, setError, run };
}
