// Share → Shoebox's sending: the shared files one at a time into the user's library (over tus, as a backup sends
// them, into the chosen album when there is one) or through an upload link (its own route, as a visitor's "Add
// photos" sends them); each file's progress and outcome kept for the page (the Back up page's list shows them).
import { useEffect, useRef, useState } from 'react';
import { sendToLibrary } from '../client/backup.js';
import { sendThroughLink } from '../client/upload.js';
import { errorText, isAbort } from '../lib/errors.js';
import type { BackupItem } from './useBackup.js';

/** Where shared files go: the user's library (an album of theirs, or none), or an upload link's album. */
export type ShareDestination = { kind: 'library'; albumId: string | null } | { kind: 'link'; token: string };

export interface ShareSend {
  phase: 'idle' | 'sending' | 'finished' | 'stopped';
  items: BackupItem[];
  send: (destination: ShareDestination) => Promise<void>;
  stop: () => void;
}

/** One file sent where it was asked to go: its final state and the reason when there is one. */
async function sendOne(file: File, to: ShareDestination, onSent: (sent: number) => void, signal: AbortSignal): Promise<Partial<BackupItem>> {
  if (to.kind === 'link') {
    const outcome = await sendThroughLink(to.token, file, onSent, signal);
    if (outcome.status === 'refused') return { status: 'refused', reason: outcome.reason };
    return outcome.status === 'here' ? { status: 'here', reason: 'the link has it already' } : { status: 'done', sent: file.size };
  }
  const result = await sendToLibrary(file, null, onSent, signal, to.albumId);
  if (result.status === 'refused') return { status: 'refused', reason: result.error };
  // the photo is in the library either way: an album that could not take it is said beside it
  const reason = result.albumError ? `not put in the album: ${result.albumError}` : null;
  if (result.duplicate) return { status: 'here', reason: reason ?? (to.albumId ? 'already in your library, now in the album too' : 'already in your library') };
  return { status: 'done', sent: file.size, reason };
}

export function useShareSend(files: readonly File[]): ShareSend {
  const [phase, setPhase] = useState<ShareSend['phase']>('idle');
  const [items, setItems] = useState<BackupItem[]>([]);
  const controller = useRef<AbortController | null>(null);
  /** The files that are through (sent, there already, or refused by the server): Send again leaves them. */
  const through = useRef(new Set<number>());
  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => {
    through.current = new Set();
    setItems(files.map((file) => ({ name: file.name, size: file.size, status: 'new', sent: 0, reason: null })));
  }, [files]);

  const change = (index: number, patch: Partial<BackupItem>) => setItems((now) => now.map((item, i) => (i === index ? { ...item, ...patch } : item)));

  const send = async (destination: ShareDestination) => {
    controller.current?.abort();
    const signal = (controller.current = new AbortController()).signal;
    setPhase('sending');
    let unsent = 0;
    for (const [index, file] of files.entries()) {
      if (through.current.has(index)) continue;
      if (signal.aborted) {
        change(index, { status: 'stopped', reason: 'stopped' });
        continue;
      }
      change(index, { status: 'sending', sent: 0, reason: null });
      try {
        const outcome = await sendOne(file, destination, (sent) => change(index, { sent }), signal);
        through.current.add(index);
        change(index, outcome);
      } catch (failure) {
        // a dropped connection or a server away: the file stays here for Send again, never lost with the share
        unsent++;
        change(index, { status: 'stopped', reason: isAbort(failure) ? 'stopped' : `not sent: ${errorText(failure)}` });
      }
    }
    setPhase(signal.aborted || unsent > 0 ? 'stopped' : 'finished');
  };

  return { phase, items, send, stop: () => controller.current?.abort() };
}
