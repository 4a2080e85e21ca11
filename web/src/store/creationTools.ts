// Whether this library uses the creation tools (Create, product shots, the catalogue): the admin's switch on the
// server (asked at set-up), read once per page load. Off, they are nowhere in the app; on, they stand in the main
// navigation unless this browser puts them behind "More" (Account → Settings).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getCreationTools } from '../client/create.js';

export type CreationChoice = 'main' | 'more';

const KEY = 'shoebox.creationTools';
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

function readChoice(): CreationChoice {
  try {
    // 'hide' is what an older version stored for "under More"
    return window.localStorage.getItem(KEY) === 'hide' ? 'more' : 'main';
  } catch {
    return 'main'; // storage switched off: the default
  }
}

export function setCreationChoice(choice: CreationChoice): void {
  try {
    if (choice === 'main') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, 'hide');
  } catch {
    // storage switched off: the choice lasts until the page is left
  }
  current = choice;
  notify();
}

let current: CreationChoice | null = null;
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const snapshot = () => (current ??= readChoice());

export function useCreationChoice(): CreationChoice {
  return useSyncExternalStore(subscribe, snapshot);
}

/** The server's switch, asked once per page load; an answer that fails leaves the tools out. */
let switched: Promise<boolean> | null = null;

/** After the admin switched them: every part of the page follows at once. */
export function creationToolsSwitched(on: boolean): void {
  switched = Promise.resolve(on);
  notify();
}

export interface CreationTools {
  /** The library uses them: their pages, buttons and menu entries are shown. */
  on: boolean;
  /** In the main navigation (else behind "More"). */
  inMain: boolean;
}

export function useCreationTools(): CreationTools {
  const choice = useCreationChoice();
  const [on, setOn] = useState(false);
  useEffect(() => {
    let live = true;
    const read = () => {
      switched ??= getCreationTools().then(
        (answer) => answer.on,
        () => false,
      );
      void switched.then((value) => live && setOn(value));
    };
    read();
    listeners.add(read);
    return () => {
      live = false;
      listeners.delete(read);
    };
  }, []);
  return { on, inMain: on && choice === 'main' };
}
