// Whether the creation tools (Create, Catalogue) stand in the main navigation: by default where an image generator
// is configured on the server; a person can switch them on or off for this browser (Account → Navigation).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getProviders } from '../client/create.js';

export type CreationChoice = 'auto' | 'show' | 'hide';

const KEY = 'shoebox.creationTools';
const listeners = new Set<() => void>();

function readChoice(): CreationChoice {
  try {
    const value = window.localStorage.getItem(KEY);
    return value === 'show' || value === 'hide' ? value : 'auto';
  } catch {
    return 'auto'; // storage switched off: the default
  }
}

export function setCreationChoice(choice: CreationChoice): void {
  try {
    if (choice === 'auto') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // storage switched off: the choice lasts until the page is left
  }
  current = choice;
  for (const listener of listeners) listener();
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

/** The server's answer, asked once per page load (a generator is configured in the server's settings). */
let configured: Promise<boolean> | null = null;

/** Whether Create and Catalogue belong in the main row now. */
export function useCreationTools(): boolean {
  const choice = useCreationChoice();
  const [generator, setGenerator] = useState(false);
  useEffect(() => {
    if (choice !== 'auto') return;
    let live = true;
    configured ??= getProviders().then(
      (answer) => answer.configured,
      () => false,
    );
    void configured.then((value) => live && setGenerator(value));
    return () => {
      live = false;
    };
  }, [choice]);
  return choice === 'show' || (choice === 'auto' && generator);
}
