import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.js';

export interface Resource<T> {
  data: T | null;
  /** The server's message when loading failed (and `status`, 0 for a network failure). */
  error: { message: string; status: number } | null;
  loading: boolean;
  /** Loads again, keeping what is shown until the answer comes (no flash of a spinner). */
  reload: () => void;
  /** Loads again; settles once that answer (or a later one) has come. */
  refresh: () => Promise<void>;
  /** Changes what is shown at once (after an action the server has confirmed). */
  setData: (update: (current: T | null) => T | null) => void;
}

/**
 * Loads one thing from the API for a page, again whenever `key` changes; aborts a superseded request, and drops
 * answers that come after the page has gone.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [data, setDataState] = useState<T | null>(null);
  const [error, setError] = useState<Resource<T>['error']>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const asked = useRef(0);
  // refresh() calls waiting for the load of their generation (or a later one) to answer
  const waiting = useRef<{ generation: number; done: () => void }[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    const answered = () => {
      const done = waiting.current.filter((wait) => wait.generation <= generation);
      waiting.current = waiting.current.filter((wait) => wait.generation > generation);
      for (const wait of done) wait.done();
    };
    setLoading(true);
    loadRef
      .current(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setDataState(value);
        setError(null);
        setLoading(false);
        answered();
      })
      .catch((failure: unknown) => {
        if (controller.signal.aborted) return;
        setError({
          message: failure instanceof Error ? failure.message : String(failure),
          status: failure instanceof ApiError ? failure.status : 0,
        });
        setLoading(false);
        answered();
      });
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration(++asked.current), []);
  const refresh = useCallback(
    () =>
      new Promise<void>((done) => {
        waiting.current.push({ generation: ++asked.current, done });
        setGeneration(asked.current);
      }),
    [],
  );
  const setData = useCallback((update: (current: T | null) => T | null) => setDataState(update), []);
  return { data, error, loading, reload, refresh, setData };
}

/** The message of anything thrown. */
export const messageOf = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));
