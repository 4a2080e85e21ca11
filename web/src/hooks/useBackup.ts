// The Back up page's work: the chosen files hashed on the device (lib/hashFiles.ts), the library asked which it has
// (client/backup.ts), the new ones sent one at a time, resumably; each file's state kept for the page to show. A phone
// gone offline on the way (tus gives up at once then) goes on by itself once it is back online (lib/online.ts).
import { useEffect, useRef, useState } from 'react';
import { accountApi } from '../client/account.js';
import { knownHashes, sendToLibrary } from '../client/backup.js';
import { handOver, type HandedFile, type HandOver } from '../client/backupHandOver.js';
import { ApiError } from '../api.js';
import { UploadFailed } from '../client/tus.js';
import { errorText, isAbort } from '../lib/errors.js';
import { statusWaits } from '../lib/tusFetch.js';
import { hashFiles } from '../lib/hashFiles.js';
import { untilOnline } from '../lib/online.js';

export type BackupStatus = 'waiting' | 'new' | 'sending' | 'done' | 'here' | 'skipped' | 'refused' | 'stopped';

export interface BackupItem {
  name: string;
  size: number;
  status: BackupStatus;
  /** Bytes the server has, while sending. */
  sent: number;
  /** Why it was skipped, refused or stopped. */
  reason: string | null;
}

export type BackupPhase = 'idle' | 'hashing' | 'checking' | 'sending' | 'finished' | 'stopped';

export interface Backup {
  phase: BackupPhase;
  items: BackupItem[];
  hashed: number;
  /** Files to send and files the library had, once asked. */
  counts: { fresh: number; here: number } | null;
  error: string | null;
  start: (files: File[]) => void;
  stop: () => void;
}

/** What the library takes: photos and videos, by type or by the extensions browsers give no type (RAW, HEIC). */
const MEDIA_EXTENSIONS = /\.(heic|heif|avif|jxl|dng|cr2|cr3|nef|arw|raf|orf|rw2|pef|srw|mov|mp4|m4v|3gp|mkv|webm)$/iu;
const isMedia = (file: File) => /^(image|video)\//u.test(file.type) || MEDIA_EXTENSIONS.test(file.name);

export function useBackup(): Backup {
  const [phase, setPhase] = useState<BackupPhase>('idle');
  const [items, setItems] = useState<BackupItem[]>([]);
  const [hashed, setHashed] = useState(0);
  const [counts, setCounts] = useState<Backup['counts']>(null);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  /** What this backup handed over to the service worker, while it sends. */
  const leaving = useRef<HandOver | null>(null);
  /** Whether the user pressed Stop (what was handed over goes) rather than left the page (the worker goes on with it). */
  const stopping = useRef(false);
  useEffect(
    () => () => {
      // the page unmounts: its locks go at once (a closed tab's go with it), so the worker takes the files over
      void leaving.current?.leave(false);
      controller.current?.abort();
    },
    [],
  );

  const change = (index: number, patch: Partial<BackupItem>) => setItems((now) => now.map((item, i) => (i === index ? { ...item, ...patch } : item)));

  const start = (chosen: File[]) => {
    controller.current?.abort();
    stopping.current = false;
    const signal = (controller.current = new AbortController()).signal;
    // a folder holds more than photos (.DS_Store, sidecars, documents): those are said, not sent
    const files = chosen.filter((file) => !file.name.startsWith('.'));
    setItems(
      files.map((file) => ({
        name: file.webkitRelativePath || file.name,
        size: file.size,
        status: isMedia(file) ? 'waiting' : 'skipped',
        sent: 0,
        reason: isMedia(file) ? null : 'not a photo or video',
      })),
    );
    setHashed(0);
    setCounts(null);
    setError(null);
    void run(files, signal).catch((e: unknown) => {
      if (isAbort(e)) return setPhase('stopped');
      setError(errorText(e));
      setPhase('stopped');
    });
  };

  const run = async (files: File[], signal: AbortSignal) => {
    const media = files.flatMap((file, index) => (isMedia(file) ? [index] : []));
    setPhase('hashing');
    const hashes = await hashFiles(
      media.map((index) => files[index]!),
      () => setHashed((n) => n + 1),
      signal,
    );
    setPhase('checking');
    const asked = hashes.filter((hash): hash is string => hash !== null);
    const known = await untilOnline(() => knownHashes(asked, signal), signal);
    // the same bytes twice in what was chosen: sent once
    const seen = new Map<string, string>();
    const toSend: { index: number; sha256: string | null }[] = [];
    let here = 0;
    for (const [at, index] of media.entries()) {
      const sha256 = hashes[at] ?? null;
      const name = files[index]!.name;
      if (sha256 && known.has(sha256)) {
        here++;
        change(index, { status: 'here', reason: 'already in your library' });
      } else if (sha256 && seen.has(sha256)) change(index, { status: 'skipped', reason: `the same file as ${seen.get(sha256)}` });
      else {
        if (sha256) seen.set(sha256, name);
        toSend.push({ index, sha256 });
        change(index, { status: 'new' });
      }
    }
    setCounts({ fresh: toSend.length, here });
    setPhase('sending');
    const handed = await handOverSafely(toSend.map(({ index, sha256 }) => ({ file: files[index]!, sha256, albumId: null })));
    leaving.current = handed;
    try {
      for (const [at, { index, sha256 }] of toSend.entries()) {
        if (signal.aborted) {
          for (const rest of toSend.slice(at)) change(rest.index, { status: 'stopped', reason: 'stopped: choose the files again to go on' });
          throw new DOMException('stopped', 'AbortError');
        }
        await sendOne({ file: files[index]!, sha256, albumId: null }, handed, signal, (patch) => change(index, patch)).catch((e: unknown) => {
          if (isAbort(e))
            for (const rest of toSend.slice(at))
              change(rest.index, { status: 'stopped', reason: 'stopped: choose the files again to go on from where it was' });
          throw e;
        });
      }
    } finally {
      leaving.current = null;
      // stopped by the user: the worker sends nothing of it; the page gone elsewhere: the worker goes on
      await handed.leave(stopping.current);
    }
    setPhase('finished');
  };

  const stop = () => {
    stopping.current = true;
    // at once: the page may be waiting on a lock the worker holds, and what was stopped must not be sent by it
    void leaving.current?.leave(true);
    controller.current?.abort();
  };
  return { phase, items, hashed, counts, error, start, stop };
}

/** Hands the files over to the service worker as the signed-in user's; nothing where that cannot be (no sync, offline). */
async function handOverSafely(files: HandedFile[]): Promise<HandOver> {
  const me = await accountApi.me().catch(() => null);
  const none: HandOver = { take: async () => ({ url: null }), onUrl: () => {}, finish: async () => {}, keep: async () => false, leave: async () => {} };
  return me ? handOver(files, me.id).catch(() => none) : none;
}

/** The work's result, or an AbortError as soon as the signal aborts (a Web Lock's wait cannot be cut short itself). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stopped = () => reject(new DOMException('stopped', 'AbortError'));
    if (signal.aborted) return stopped();
    signal.addEventListener('abort', stopped, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stopped));
  });
}

/** A refusal for good: the server answered the file with a 4xx that another try would answer alike (tusFetch's statusWaits). */
const refusedForGood = (status: number | null | undefined) => status !== null && status !== undefined && status >= 400 && status < 500 && !statusWaits(status);

/**
 * Sends one file (going on from the upload the service worker made of it, if any) and says what it became; a file
 * the worker finished while the page waited for it is not sent again. Only the server's verdict drops the worker's
 * copy: a failure another try may mend leaves it for the worker.
 */
async function sendOne(handed: HandedFile, over: HandOver, signal: AbortSignal, change: (patch: Partial<BackupItem>) => void): Promise<void> {
  const { file, sha256 } = handed;
  change({ status: 'sending' });
  let failure: string;
  try {
    const place = await untilAborted(over.take(handed), signal);
    signal.throwIfAborted();
    // the worker finished it while the page waited (what it became is among its lines): never sent twice
    if (!place) return change({ status: 'done', reason: 'sent in the background', sent: file.size });
    const result = await untilOnline(
      () => sendToLibrary(file, sha256, (sent) => change({ sent }), signal, null, { url: place.url, onUrl: (url) => over.onUrl(handed, url) }),
      signal,
      (waiting) => change({ reason: waiting ? 'waiting for the connection' : null }),
    );
    if (result.status === 'refused' && !refusedForGood(result.statusCode)) failure = result.error ?? 'the server could not store it';
    else {
      if (result.status === 'refused') change({ status: 'refused', reason: result.error });
      else change(result.duplicate ? { status: 'here', reason: 'already in your library', sent: file.size } : { status: 'done', sent: file.size });
      return await over.finish(handed);
    }
  } catch (e) {
    if (isAbort(e)) throw e;
    const status = e instanceof UploadFailed || e instanceof ApiError ? e.status : null;
    if (refusedForGood(status)) {
      change({ status: 'refused', reason: errorText(e) });
      return await over.finish(handed);
    }
    failure = errorText(e);
  }
  const retried = await over.keep(handed);
  change({ status: 'stopped', reason: retried ? `${failure}: it will be retried in the background` : `${failure}: choose it again to go on` });
}
