// The faces of one person, loaded a page at a time ("Show more faces"), for the person page's face grid.
import { useCallback, useEffect, useState } from 'react';
import { getPersonFaces, type Face } from '../../client/people.js';
import { messageOf } from '../../hooks/useResource.js';

const FACE_PAGE = 60;

export type PersonFaces = ReturnType<typeof usePersonFaces>;

export function usePersonFaces(id: string) {
  const [faces, setFaces] = useState<Face[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);

  /** Loads the faces from `from` on (0: from the start again, replacing those shown). */
  const load = useCallback(
    async (from: number, signal?: AbortSignal) => {
      setLoading(true);
      try {
        // The API pages by page number; FACE_PAGE divides every offset asked for here.
        const page = Math.floor(from / FACE_PAGE) + 1;
        const items = await getPersonFaces(id, { page, limit: FACE_PAGE }, signal);
        if (signal?.aborted) return;
        setFaces((list) => (from === 0 ? items : [...(list ?? []), ...items]));
        setMore(items.length === FACE_PAGE);
        setError(null);
      } catch (failure) {
        if (!signal?.aborted) setError(messageOf(failure));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [id],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(0, controller.signal);
    return () => controller.abort();
  }, [load]);

  /** A face left this person: it leaves the grid. */
  const drop = (faceId: string) => setFaces((list) => list?.filter((f) => f.id !== faceId) ?? null);

  return { faces, error, more, loading, load, drop };
}
