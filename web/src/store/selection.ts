// The photos selected on a timeline for a bulk action. Ids, not offsets: the ordering can move under the
// selection (an upload, processing) without changing what the user picked. The anchor is the offset a shift-click
// range starts from.
import { useSyncExternalStore } from 'react';

export interface SelectionState {
  ids: ReadonlySet<string>;
  /** The ordering the selection was made in (a PhotoSequence key). */
  scope: string | null;
  /** The last photo clicked without shift, for shift-click ranges. */
  anchor: number | null;
  /** A range or a group is being fetched to be selected. */
  pending: boolean;
}

const empty: SelectionState = { ids: new Set(), scope: null, anchor: null, pending: false };

class SelectionStore {
  private state: SelectionState = empty;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SelectionState => this.state;

  private set(patch: Partial<SelectionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  private ids(scope: string): Set<string> {
    return new Set(this.state.scope === scope ? this.state.ids : []);
  }

  toggle(scope: string, id: string, offset: number | null): void {
    const ids = this.ids(scope);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    this.set({ ids, scope, anchor: offset });
  }

  /** Selects (or, when `select` is false, unselects) many photos at once; the anchor moves to `anchor`. */
  setMany(scope: string, list: readonly string[], select: boolean, anchor?: number | null): void {
    const ids = this.ids(scope);
    for (const id of list) {
      if (select) ids.add(id);
      else ids.delete(id);
    }
    this.set({ ids, scope, anchor: anchor === undefined ? this.state.anchor : anchor, pending: false });
  }

  /** The selection becomes exactly `ids` (a finger dragging over a range, shrinking it again as it goes back). */
  replace(scope: string, ids: ReadonlySet<string>, anchor: number | null): void {
    this.set({ ids, scope, anchor, pending: false });
  }

  setPending(pending: boolean): void {
    this.set({ pending });
  }

  clear(): void {
    if (this.state.ids.size > 0 || this.state.anchor !== null || this.state.pending) this.state = empty;
    for (const listener of this.listeners) listener();
  }
}

export const selection = new SelectionStore();

export function useSelection(): SelectionState {
  return useSyncExternalStore(selection.subscribe, selection.getSnapshot);
}
