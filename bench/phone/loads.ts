// The phone benchmark's loads of the gallery on Fast 3G: the first visit (nothing cached, the service worker not
// yet there), then, with the worker installed, each later load: to the app's shell (its header) and to the first
// photo tile and its thumbnail, ms from the navigation's start, and what crossed the network for it.
import type { BrowserContext, Page } from 'playwright-core';
import { FAST_3G } from './network.js';
import type { Wire } from './wire.js';

interface Load {
  shellMs: number;
  firstTileMs: number;
  firstThumbnailMs: number;
  /**
   * The first tile plus whatever latency the page's navigation escaped (its answer started sooner than one Fast 3G
   * latency after it): 0 since the relay carries the link (CDP's emulation on the page let the navigation and the
   * service worker's requests through undelayed).
   */
  firstTileOnLinkMs: number;
  /** Bytes the server sent on the wire (the relay's count) from the navigation to the first thumbnail. */
  bytesDown: number;
  controlledByWorker: boolean;
  /** The page's own navigation: when its answer began and ended, and whether the worker answered it. */
  navigation: { responseStartMs: number; responseEndMs: number; workerStartMs: number; transferBytes: number };
  /** Requests that went to the network (not the worker's cache), with when each ended. */
  network: { path: string; endMs: number; transferBytes: number }[];
}

/**
 * ms from the navigation's start until the page shows `what`: an element (a selector), or with `loaded` an image in
 * it that has its pixels. A function, not a string: the app's Content-Security-Policy forbids eval.
 */
const when = async (page: Page, what: string, loaded = false): Promise<number> =>
  Math.round(
    (await (
      await page.waitForFunction(
        ({ what, loaded }) => {
          const found = document.querySelector(what);
          if (!found) return false;
          if (loaded && !(found instanceof HTMLImageElement && found.complete && found.naturalWidth > 0)) return false;
          return performance.now();
        },
        { what, loaded },
        { polling: 20, timeout: 120_000 },
      )
    ).jsonValue()) as number,
  );

async function load(context: BrowserContext, url: string, wire: Wire): Promise<Load> {
  const page = await context.newPage();
  wire.reset();
  await page.goto(url, { waitUntil: 'commit' });
  const shellMs = await when(page, 'header.app-header');
  const firstTileMs = await when(page, '[data-testid="photo-tile"]');
  const firstThumbnailMs = await when(page, '[data-testid="photo-tile"] img', true);
  const bytesDown = wire.down;
  const facts = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      controlledByWorker: navigator.serviceWorker.controller !== null,
      navigation: {
        responseStartMs: Math.round(nav.responseStart),
        responseEndMs: Math.round(nav.responseEnd),
        workerStartMs: Math.round(nav.workerStart),
        transferBytes: nav.transferSize,
      },
      network: (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.transferSize > 0 || entry.responseEnd - entry.fetchStart > 100)
        .map((entry) => ({ path: new URL(entry.name).pathname, endMs: Math.round(entry.responseEnd), transferBytes: entry.transferSize })),
    };
  });
  await page.close();
  await wire.idle();
  const escapedMs = Math.max(0, Math.round(FAST_3G.latency - facts.navigation.responseStartMs));
  return { shellMs, firstTileMs, firstThumbnailMs, firstTileOnLinkMs: firstTileMs + escapedMs, bytesDown, ...facts };
}

export async function measureLoads(options: { signedIn: () => Promise<BrowserContext>; url: string; wire: Wire; loads: number; log: (line: string) => void }) {
  const { url, log, wire } = options;
  // Fast 3G in the relay, for every connection the loads open: the navigation and the worker's requests pay it too
  wire.shape(FAST_3G);
  const context = await options.signedIn();
  // the first visit, then the worker made sure of (it claims the page once active) before the later loads
  const firstVisit = await load(context, url, wire);
  log(`first visit on Fast 3G: shell ${firstVisit.shellMs} ms, first tile ${firstVisit.firstTileMs} ms, its thumbnail ${firstVisit.firstThumbnailMs} ms`);
  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.close();
  const later: Load[] = [];
  for (let i = 0; i < options.loads; i++) {
    const run = await load(context, url, wire);
    log(
      `load ${i + 1} on Fast 3G: shell ${run.shellMs} ms, first tile ${run.firstTileMs} ms (${run.firstTileOnLinkMs} ms with the navigation's latency), its thumbnail ${run.firstThumbnailMs} ms, ${run.bytesDown} B down (worker: ${run.controlledByWorker})`,
    );
    later.push(run);
  }
  await context.close();
  wire.shape(null);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  return {
    profile: 'Fast 3G',
    targetMs: 2000,
    firstVisit,
    later,
    laterMedian: {
      shellMs: median(later.map((run) => run.shellMs)),
      firstTileMs: median(later.map((run) => run.firstTileMs)),
      firstTileOnLinkMs: median(later.map((run) => run.firstTileOnLinkMs)),
      bytesDown: median(later.map((run) => run.bytesDown)),
      firstThumbnailMs: median(later.map((run) => run.firstThumbnailMs)),
    },
  };
}
