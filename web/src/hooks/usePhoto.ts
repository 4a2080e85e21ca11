import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isTerminal } from '../api.js';
import { getPhoto, type PhotoFull } from '../client/photo.js';

const POLL_MS = 2000;

export type PhotoLoad =
  | { status: 'loading'; photo: null; error: null }
  | { status: 'ready'; photo: PhotoFull; error: string | null }
  | { status: 'not-found'; photo: null; error: string }
  | { status: 'error'; photo: null; error: string };

/**
 * One photo's detail, polled every 2 s until it reaches a terminal state. `reload` fetches it again now;
 * `replace` shows a detail the server has just answered (after a change) without asking again.
 * Mount it with `key={id}` so that another photo starts from a clean state.
 */
export function usePhoto(id: string): { load: PhotoLoad; reload: () => void; replace: (photo: PhotoFull) => void } {
  const [load, setLoad] = useState<PhotoLoad>({ status: 'loading', photo: null, error: null });
  const [tick, setTick] = useState(0);
  const current = useRef(id);
  current.current = id;
  // Bumped by `replace`: an answer to a request sent before it is older than what is shown.
  const generation = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fetchOnce = async () => {
      const sentAt = generation.current;
      try {
        const photo = await getPhoto(id, controller.signal);
        if (controller.signal.aborted || current.current !== id) return;
        if (sentAt !== generation.current) {
          if (!isTerminal(photo.state)) timer = setTimeout(fetchOnce, POLL_MS);
          return;
        }
        setLoad({ status: 'ready', photo, error: null });
        if (!isTerminal(photo.state)) timer = setTimeout(fetchOnce, POLL_MS);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
          setLoad({ status: 'not-found', photo: null, error: error.message });
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        // Keep showing what we have; try again a little later.
        setLoad((previous) => (previous.status === 'ready' ? { ...previous, error: message } : { status: 'error', photo: null, error: message }));
        timer = setTimeout(fetchOnce, POLL_MS * 2);
      }
    };
    void fetchOnce();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [id, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const replace = useCallback((photo: PhotoFull) => {
    if (photo.id !== current.current) return;
    generation.current++;
    setLoad({ status: 'ready', photo, error: null });
  }, []);
  return { load, reload, replace };
}
