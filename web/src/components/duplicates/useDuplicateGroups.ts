// The groups waiting for review, loaded a page at a time. Settled groups leave the server's list, so "the
// next page" is counted from the groups still shown rather than from the pages fetched.
import { useCallback, useEffect, useRef, useState } from 'react';
import { listDuplicateGroups, type DuplicateGroup, type GroupKind } from '../../client/duplicates.js';
import { messageOf } from '../../hooks/useResource.js';

const PAGE = 40;

export interface DuplicateGroupsState {
  groups: DuplicateGroup[];
  /** Groups still to review on the server (the ones shown included). */
  total: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
}

export function useDuplicateGroups(kind: GroupKind | undefined) {
  const [state, setState] = useState<DuplicateGroupsState>({ groups: [], total: 0, status: 'loading', error: null, loadingMore: false });
  const current = useRef(state);
  current.current = state;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, status: s.status === 'ready' ? 'ready' : 'loading', error: null }));
    try {
      const page = await listDuplicateGroups({ kind, page: 1, limit: PAGE });
      if (mine !== generation.current) return;
      setState({ groups: page.items, total: page.total, status: 'ready', error: null, loadingMore: false });
    } catch (error) {
      if (mine !== generation.current) return;
      setState((s) => ({ ...s, status: s.status === 'ready' ? 'ready' : 'error', error: messageOf(error) }));
    }
  }, [kind]);

  const loadMore = useCallback(async () => {
    const s = current.current;
    if (s.status !== 'ready' || s.loadingMore || s.groups.length >= s.total) return;
    const mine = generation.current;
    setState((prev) => ({ ...prev, loadingMore: true }));
    try {
      // The groups shown are the first ones on the server (settled ones are gone): the page after them.
      const shown = s.groups.length;
      const limit = PAGE;
      const page = Math.floor(shown / limit) + 1;
      const result = await listDuplicateGroups({ kind, page, limit });
      if (mine !== generation.current) return;
      setState((prev) => {
        const known = new Set(prev.groups.map((g) => g.id));
        return { ...prev, groups: [...prev.groups, ...result.items.filter((g) => !known.has(g.id))], total: result.total, loadingMore: false };
      });
    } catch (error) {
      if (mine !== generation.current) return;
      setState((prev) => ({ ...prev, loadingMore: false, error: messageOf(error) }));
    }
  }, [kind]);

  /** A group was resolved or dismissed: it leaves the list and the count. */
  const remove = useCallback((groupId: string) => {
    setState((s) => ({ ...s, groups: s.groups.filter((g) => g.id !== groupId), total: Math.max(0, s.total - 1) }));
  }, []);

  useEffect(() => {
    setState({ groups: [], total: 0, status: 'loading', error: null, loadingMore: false });
    void reload();
    return () => {
      // eslint-disable-next-line react-hooks/exhaustive-deps -- the count is meant to have moved: a newer load outdates the one in flight
      generation.current++;
    };
  }, [reload]);

  return { ...state, reload, loadMore, remove };
}
