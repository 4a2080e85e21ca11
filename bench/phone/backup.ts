// The phone benchmark's backups: the roll chosen on the Back up page, the connection cut three times mid-upload,
// then the same roll chosen again; what the wire carried, and what the library holds after.
import type { BrowserContext, Page } from 'playwright-core';
import { BULK, FAST_3G, OFFLINE, emulate, type Conditions } from './network.js';
import type { RollPhoto } from './roll.js';
import type { Wire } from './wire.js';

interface Cut {
  file: string;
  size: number;
  /** Bytes up the wire since it began, when the connection went. */
  sentAtCut: number;
  /** From the connection's return to the file being through. */
  secondsToThroughAfter: number;
  /** What the file's row said once it was no longer sending. */
  outcome: string;
}

export interface BackupRun {
  first: {
    seconds: number;
    bytesUp: number;
    /** Bytes up over the roll's: the requests' own (headers, the hashes asked about) and what the cuts made go twice. */
    overheadBytes: number;
    overheadPercent: number;
    cuts: Cut[];
    /** Times the files had to be chosen again (the user's "send again") before every photo was in. */
    chosenAgain: number;
    /** Rows refused or stopped at the end of the first choice. */
    refusedOrStoppedAtFirstEnd: number;
    requests: Record<string, number>;
    stored: { photos: number; distinctNames: number; knownOfRoll: number; everyPhotoOnce: boolean };
  };
  second: { seconds: number; bytesUp: number; percentOfRoll: number; status: string; targetPercent: number };
}

interface Rows {
  counts: Record<string, number>;
  sending: { name: string; sent: number; size: number } | null;
  status: string;
}

const rows = (page: Page): Promise<Rows> =>
  page.evaluate(() => {
    const items = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="backup-list"] li'));
    const counts: Record<string, number> = {};
    for (const item of items) counts[item.dataset.status ?? ''] = (counts[item.dataset.status ?? ''] ?? 0) + 1;
    const sending = items.find((item) => item.dataset.status === 'sending');
    const progress = sending?.querySelector('progress');
    return {
      counts,
      sending: sending ? { name: sending.querySelector('.upload-row-name')?.textContent ?? '', sent: progress?.value ?? 0, size: progress?.max ?? 0 } : null,
      status: document.querySelector('[data-testid="backup-status"]')?.textContent ?? '',
    };
  });

const rowOf = (page: Page, name: string) =>
  page.evaluate((name) => {
    const item = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="backup-list"] li')).find(
      (li) => li.querySelector('.upload-row-name')?.textContent === name,
    );
    return { status: item?.dataset.status ?? '', text: item?.querySelector('.upload-row-status')?.textContent ?? '' };
  }, name);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const finished = (status: string) => / · done(, \d+ refused)?$/u.test(status) || status.includes('stopped');

/**
 * One cut: on Fast 3G, the next file to start sending, 40 % of it over the wire (the page's progress counts bytes
 * handed to the network, ahead of the throttle), then offline for `seconds`, then Fast 3G until that file is through.
 */
async function cut(page: Page, wire: Wire, network: (c: Conditions) => Promise<void>, seconds: number, log: (line: string) => void): Promise<Cut | null> {
  await network(FAST_3G);
  const before = (await rows(page)).sending?.name;
  const since = performance.now();
  let sending: Rows['sending'] = null;
  let base = 0;
  for (let spent = 0; spent < 120_000; spent = performance.now() - since) {
    const state = await rows(page);
    if (finished(state.status)) break;
    const now = state.sending;
    if (!sending && now && now.name !== before) {
      sending = now;
      base = wire.up;
    }
    if (sending && wire.up - base >= sending.size * 0.4) break;
    await wait(50);
  }
  if (!sending) return null;
  const sentAtCut = wire.up - base;
  // both: the browser told it is offline (navigator.onLine, the online event), and the connections really dropped
  // (Chromium's emulated offline fails new requests but lets one already sending its body finish)
  await network(OFFLINE);
  wire.cut(true);
  log(`  cut: ${sending.name} (${sending.size} B) at ${sentAtCut} B on the wire; offline ${seconds} s`);
  await wait(seconds * 1000);
  wire.cut(false);
  await network(FAST_3G);
  const back = performance.now();
  let outcome = await rowOf(page, sending.name);
  while (outcome.status === 'sending' && performance.now() - back < 180_000) {
    await wait(100);
    outcome = await rowOf(page, sending.name);
  }
  const secondsToThroughAfter = Math.round((performance.now() - back) / 100) / 10;
  log(`  ${sending.name}: ${outcome.status} ${secondsToThroughAfter} s after the connection came back (${outcome.text})`);
  await network(BULK);
  return { file: sending.name, size: sending.size, sentAtCut, secondsToThroughAfter, outcome: `${outcome.status}: ${outcome.text}` };
}

export async function backUp(options: {
  signedIn: () => Promise<BrowserContext>;
  wire: Wire;
  roll: RollPhoto[];
  rollBytes: number;
  cutSeconds: number;
  log: (line: string) => void;
}): Promise<BackupRun> {
  const { wire, roll, rollBytes, log } = options;
  const context = await options.signedIn();
  const page = await context.newPage();
  const requests: Record<string, number> = {};
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/uploads')) return;
    const key = `${request.method()} ${url.pathname === '/api/uploads' || url.pathname === '/api/uploads/known' ? url.pathname : '/api/uploads/:id'}`;
    requests[key] = (requests[key] ?? 0) + 1;
  });
  // the answers too: a resumed upload is a HEAD then a PATCH; a new POST for a file is an upload begun again
  page.on('requestfinished', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/uploads/') || url.pathname === '/api/uploads/known') return;
    void request.response().then((response) => {
      const key = `${request.method()} /api/uploads/:id ${response?.status() ?? 'none'}`;
      requests[key] = (requests[key] ?? 0) + 1;
    });
  });
  page.on('requestfailed', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/uploads')) return;
    const key = `${request.method()} ${url.pathname === '/api/uploads' ? url.pathname : '/api/uploads/:id'} failed: ${request.failure()?.errorText ?? ''}`;
    requests[key] = (requests[key] ?? 0) + 1;
  });
  const network = await emulate(context, page);
  await network(BULK);
  await page.goto(`${wire.url}/backup`);
  await page.getByRole('heading', { name: 'Back up' }).waitFor();

  // a. the roll, cut three times
  const paths = roll.map((photo) => photo.path);
  const cutAfter = [0.25, 0.5, 0.75].map((share) => Math.round(share * roll.length));
  const cuts: Cut[] = [];
  let chosenAgain = 0;
  let refusedOrStoppedAtFirstEnd = -1;
  wire.reset();
  const t0 = performance.now();
  await page.getByTestId('backup-files').setInputFiles(paths);
  log(`backing up ${roll.length} photos…`);
  let lastLog = 0;
  for (let spent = 0; spent < 20 * 60_000; spent = performance.now() - t0) {
    const state = await rows(page);
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(`  ${state.status} (${(wire.up / 1e6).toFixed(1)} MB up)`);
    }
    if (finished(state.status)) {
      const left = (state.counts.refused ?? 0) + (state.counts.stopped ?? 0);
      if (refusedOrStoppedAtFirstEnd < 0) refusedOrStoppedAtFirstEnd = left;
      if (left === 0 || chosenAgain >= 3) break;
      // what a person does when the page stopped: choose the same files again
      log(`  ${left} refused or stopped (${state.status}): choosing the files again`);
      chosenAgain++;
      await page.getByTestId('backup-files').setInputFiles(paths);
      await wait(1000);
      continue;
    }
    if (cuts.length < cutAfter.length && (state.counts.done ?? 0) >= cutAfter[cuts.length]! && state.sending) {
      const made = await cut(page, wire, network, options.cutSeconds, log);
      if (made) cuts.push(made);
      continue;
    }
    await wait(250);
  }
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const bytesUp = wire.up;
  await network({ offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const stored = await page.evaluate(
    async (shas) => {
      const post = await fetch('/api/uploads/known', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sha256: shas }),
      });
      const known = ((await post.json()) as { known: string[] }).known;
      const list = (await (await fetch('/api/photos?limit=500')).json()) as { items: { filename: string }[] };
      return { known: known.length, names: list.items.map((item) => item.filename) };
    },
    roll.map((photo) => photo.sha256),
  );
  const distinctNames = new Set(stored.names).size;
  const first = {
    seconds,
    bytesUp,
    overheadBytes: bytesUp - rollBytes,
    overheadPercent: Math.round(((bytesUp - rollBytes) / rollBytes) * 10000) / 100,
    cuts,
    chosenAgain,
    refusedOrStoppedAtFirstEnd,
    requests: { ...requests },
    stored: {
      photos: stored.names.length,
      distinctNames,
      knownOfRoll: stored.known,
      everyPhotoOnce: stored.names.length === roll.length && distinctNames === roll.length && stored.known === roll.length,
    },
  };
  log(`first backup: ${seconds} s, ${(bytesUp / 1e6).toFixed(2)} MB up for ${(rollBytes / 1e6).toFixed(2)} MB; stored ${JSON.stringify(first.stored)}`);

  // b. the same roll again, on Fast 3G, after a reload
  await network(FAST_3G);
  await page.reload();
  await page.getByRole('heading', { name: 'Back up' }).waitFor();
  wire.reset();
  const t1 = performance.now();
  await page.getByTestId('backup-files').setInputFiles(paths);
  let status = '';
  for (let spent = 0; spent < 10 * 60_000; spent = performance.now() - t1) {
    status = (await rows(page)).status;
    if (finished(status) || status.includes(`0 new, ${roll.length} already here`)) break;
    await wait(100);
  }
  const second = {
    seconds: Math.round((performance.now() - t1) / 100) / 10,
    bytesUp: wire.up,
    percentOfRoll: Math.round((wire.up / rollBytes) * 100000) / 1000,
    status,
    targetPercent: 1,
  };
  log(`second backup: ${second.seconds} s, ${second.bytesUp} B up (${second.percentOfRoll} % of the roll): ${status}`);
  await context.close();
  return { first, second };
}
