// The jobs page and the header's jobs indicator in a real browser against a real server: an import counted
// down live (server-sent events, no reload), a failed photo with its reason, retried per photo and per step,
// the models, and the fallback to polling when the event stream is refused.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { startCaptionEndpoint, type CaptionEndpoint } from '../helpers/caption-endpoint.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

interface Seen {
  working: number | null;
  completed: number | null;
  indicator: boolean;
  chip: boolean;
}

/** Records every change of the numbers the page shows, from now on, into window.__seen (and marks the page). */
async function recordChanges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __seen: unknown[]; __marker: string };
    w.__marker = 'the same page';
    w.__seen = [];
    const number = (selector: string) => {
      const value = document.querySelector(selector)?.getAttribute('data-value');
      return value === undefined || value === null ? null : Number(value);
    };
    const record = () => {
      const entry = {
        working: number('[data-testid="jobs-working"]'),
        completed: number('[data-testid="state-count"][data-state="completed"] dd'),
        indicator: document.querySelector('[data-testid="jobs-indicator"]') !== null,
        chip: /processing/.test(document.querySelector('[data-testid="library-counts"]')?.textContent ?? ''),
      };
      const last = w.__seen[w.__seen.length - 1] as typeof entry | undefined;
      if (!last || (Object.keys(entry) as (keyof typeof entry)[]).some((key) => last[key] !== entry[key])) w.__seen.push(entry);
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { __seen: Seen[] }).__seen);
const stateCount = (page: Page, state: string) => page.locator(`[data-testid="state-count"][data-state="${state}"] dd`).getAttribute('data-value');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: jobs', () => {
  let server: TestServer;
  let captions: CaptionEndpoint;
  let context: BrowserContext;
  const natureDir = path.join(assets, 'albums', 'nature');
  const nature = fs
    .readdirSync(natureDir)
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => ({ path: path.join(natureDir, name) }));

  beforeAll(async () => {
    // A vision model that takes 400 ms a photo, one at a time: the photos finish one after another, as in a real
    // library, instead of all within one tick of the jobs stream (thumbnails come first, then the analysis).
    captions = await startCaptionEndpoint({ delayMs: 400 });
    // The test holds the captions while the rest of the analysis runs, longer than the client's 60 s on a busy machine.
    server = await startTestServer(
      withoutFacesOrText({ ml: { caption: { url: captions.url, model: 'llava:13b', timeoutMs: 600_000 }, captionConcurrency: 1 } }),
    );
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
    await captions?.close();
  });

  it('says what to do on an empty library, lists the models, and is live', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/jobs`);
    await poll(() => page.getByTestId('jobs-connection').getAttribute('data-connection')).toBe('live');
    expect(await page.getByTestId('jobs-working').textContent()).toContain('All caught up');
    expect(await page.locator('.jobs-empty').textContent()).toContain('shoebox import');
    expect(await page.getByTestId('jobs-indicator').count()).toBe(0);
    const models = (await json(`${server.url}/api/models`)).body as { items: { name: string; installed: boolean }[] };
    await poll(() => page.getByTestId('model').count()).toBe(models.items.length);
    const shown = await page.getByTestId('model').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-model'), n.getAttribute('data-installed')]));
    expect(shown).toEqual(models.items.map((m) => [m.name, String(m.installed)]));
    const missing = models.items.find((m) => !m.installed);
    if (missing) expect(await page.locator(`[data-model="${missing.name}"]`).textContent()).toContain(`shoebox models pull ${missing.name}`);
    await screenshot(page, 'shoebox-jobs-empty.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('counts down live during an import; the header indicator shows while work is pending; a failed photo shows its reason and is retried', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/jobs`);
    await poll(() => page.getByTestId('jobs-connection').getAttribute('data-connection')).toBe('live');
    await recordChanges(page);

    // The vision model answers only when the test says so: every photo waits on its caption at the end, so the
    // count down is driven by the test, not by how fast this machine happens to be.
    captions.hold();
    // An import through the API while the page is open: the photos of a corpus folder and a truncated JPEG.
    const bytes = fs.readFileSync(nature[0]!.path);
    const truncated = { name: 'truncated.jpg', data: bytes.subarray(0, Math.floor(bytes.length / 2)) };
    const result = await upload(server.url, [...nature, truncated]);
    expect(result.status).toBe(201);
    const ids: string[] = result.body.items.map((item: { id: string }) => item.id);
    const truncatedId = ids[ids.length - 1]!;

    // While it works: the indicator in the header, linking to this page.
    await page.getByTestId('jobs-indicator').waitFor();
    expect(await page.getByTestId('jobs-indicator').getAttribute('href')).toBe('/jobs');
    await screenshot(page, 'shoebox-jobs-working.png');

    // All photos wait on their captions (the truncated one has failed); one answer → one photo done, seen live.
    const working = () => page.getByTestId('jobs-working').getAttribute('data-value');
    await poll(working, { timeout: 240_000 }).toBe(String(nature.length));
    captions.admit(1);
    await poll(working, { timeout: 60_000 }).toBe(String(nature.length - 1));
    // a page opened now, in the middle of the run, counts it from where it began, as the server knows it (it counted
    // from its own first look: "0 of 34 done" while 33 were complete)
    const late = await openPage(context);
    await late.page.goto(`${server.url}/jobs`);
    const run = (await json(`${server.url}/api/jobs`)).body.run as { done: number; total: number };
    expect(run.done).toBeGreaterThanOrEqual(1);
    expect(run.total).toBe(run.done + nature.length - 1);
    await poll(() => late.page.locator('.jobs-batch-text').textContent()).toMatch(new RegExp(`^${run.done} of ${run.total} done`));
    expect(late.errors).toEqual([]);
    await late.page.close();
    captions.release();
    await waitForTerminal(server.url, ids, 300_000);
    await poll(() => page.getByTestId('jobs-working').getAttribute('data-value')).toBe('0');
    await poll(() => stateCount(page, 'completed')).toBe(String(nature.length));
    expect(await stateCount(page, 'failed')).toBe('1');
    await page.getByTestId('jobs-indicator').waitFor({ state: 'detached' });

    // What the page went through, without a reload: work rose, counted down to zero; completed rose step by step.
    expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('the same page');
    const changes = await seen(page);
    const counts = changes.map((c) => c.working).filter((n): n is number => n !== null);
    expect(Math.max(...counts)).toBeGreaterThan(1);
    expect(
      counts.some((n, i) => i > 0 && n < counts[i - 1]! && n > 0),
      `counted down: ${counts.join(' ')}`,
    ).toBe(true);
    expect(counts[counts.length - 1]).toBe(0);
    const completed = changes.map((c) => c.completed).filter((n): n is number => n !== null);
    expect(
      completed.every((n, i) => i === 0 || n >= completed[i - 1]!),
      `completed never fell: ${completed.join(' ')}`,
    ).toBe(true);
    expect(new Set(completed).size, `completed rose in steps: ${completed.join(' ')}`).toBeGreaterThan(2);
    expect(completed[completed.length - 1]).toBe(nature.length);
    // the indicator came and went; the header no longer has a "processing" count (the indicator replaced it)
    expect(changes.some((c) => c.indicator && c.working !== null && c.working > 0)).toBe(true);
    expect(changes[changes.length - 1]!.indicator).toBe(false);
    expect(changes.some((c) => c.chip)).toBe(false);

    // The speed over the last minutes, as the API has it.
    const snapshot = (await json(`${server.url}/api/jobs`)).body as { rate: { photosPerMinute: number } };
    if (snapshot.rate.photosPerMinute > 0) expect(await page.getByTestId('jobs-rate').textContent()).toMatch(/photos\/(min|h)/);

    // The failure: the photo, the step, the reason the server recorded.
    const detail = (await json(`${server.url}/api/photos/${truncatedId}`)).body;
    expect(detail.state).toBe('failed');
    const failure = page.locator(`[data-testid="failure"][data-photo-id="${truncatedId}"]`);
    await failure.waitFor();
    expect(await failure.locator('a').textContent()).toBe('truncated.jpg');
    expect(await failure.locator('[data-step="preprocessing"] [data-testid="failure-reason"]').textContent()).toBe(detail.steps.preprocessing.error);
    expect(detail.steps.preprocessing.error).toMatch(/truncated\.jpg/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-jobs-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // Retry the photo: the server runs it again (a second attempt), it fails again and is listed again.
    const attempts = async () => (await json(`${server.url}/api/photos/${truncatedId}`)).body.steps.preprocessing.attempts as number;
    expect(await attempts()).toBe(1);
    await failure.getByTestId('retry-photo').click();
    await poll(attempts, { timeout: 60_000 }).toBe(2);
    await waitForTerminal(server.url, [truncatedId]);
    await poll(() => failure.count()).toBe(1);

    // The objects step (issue 64) has its row and its progress like every other step.
    const objects = page.locator('[data-testid="step-row"][data-step="objects"]');
    expect(await objects.textContent()).toContain('Objects');

    // Run the step again wherever it failed: a third attempt.
    const step = page.locator('[data-testid="step-row"][data-step="preprocessing"]');
    await step.getByTestId('retry-step').click();
    await poll(() => step.getByRole('status').textContent()).toContain('queued again');
    await poll(attempts, { timeout: 60_000 }).toBe(3);
    await waitForTerminal(server.url, [truncatedId]);
    await poll(() => page.getByTestId('jobs-working').getAttribute('data-value')).toBe('0');
    expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('the same page');
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('falls back to polling when the event stream is refused', async () => {
    const { page, errors } = await openPage(context, { allowConsole: [/status of 503/, /EventSource/] });
    await page.route('**/api/jobs/events', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"statusCode":503,"error":"Service Unavailable","message":"no"}' }),
    );
    await page.goto(`${server.url}/jobs`);
    await poll(() => page.getByTestId('jobs-connection').getAttribute('data-connection')).toBe('polling');
    const snapshot = (await json(`${server.url}/api/jobs`)).body as { states: Record<string, number> };
    await poll(() => stateCount(page, 'completed')).toBe(String(snapshot.states.completed));
    expect(await stateCount(page, 'failed')).toBe(String(snapshot.states.failed));
    // and it is still live: a new photo shows up without a reload
    const added = await upload(server.url, [{ path: path.join(assets, 'metadata/gps-position/thompson-springs.jpg') }]);
    expect(added.status).toBe(201);
    await waitForTerminal(server.url, [added.body.items[0].id]);
    await poll(() => stateCount(page, 'completed')).toBe(String(snapshot.states.completed! + 1));
    // phone width: nothing wider than the screen
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'shoebox-jobs-phone.png');
    expect(errors).toEqual([]);
    await page.close();
  });
});
