// A real browser (Debian's chromium through playwright-core) for the web app tests, and what they share:
// building the app when its sources changed, pages that record errors, screenshots kept as test artefacts.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import { webRoot } from '../../src/config/paths.js';
import { repoRoot } from './server.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

export { CHROMIUM };

/** Screenshots of each page land here (git-ignored), so that a CI run can keep them. */
export const SCREENSHOTS = process.env.SHOEBOX_SCREENSHOTS ?? path.join(repoRoot, 'test-results', 'screenshots');

const webDir = path.join(repoRoot, 'web');

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * Builds the web app into the folder the server serves (dist/web, or SHOEBOX_WEB_DIR) when it is missing or older
 * than its sources (`npm test` has built it already).
 */
export async function ensureWebBuilt(): Promise<void> {
  const index = path.join(webRoot, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(webDir)) return;
  await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: webRoot, emptyOutDir: true } });
}

/** Builds the app if needed and starts a headless chromium; fails with how to install it when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  await ensureWebBuilt();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A chromium with a profile on disk (`userDataDir`), as a person's browser is: what a browser's contexts cannot
 * show, being off the record, such as whether it offers to install an app (never in incognito).
 */
export async function launchProfile(userDataDir: string, options: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<BrowserContext> {
  await ensureWebBuilt();
  return chromium.launchPersistentContext(userDataDir, { ...options, executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A browser page that records script errors and console errors, so that a test can insist there were none.
 * `allowConsole` lists console messages a test provokes on purpose (a 404 it asked for).
 */
export async function openPage(context: BrowserContext, options: { allowConsole?: RegExp[] } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (options.allowConsole?.some((pattern) => pattern.test(text))) return;
    errors.push(`console: ${text}`);
  });
  return { page, errors };
}

/**
 * Waits until the page is still, on its own events rather than a fixed time: the images on screen loaded (or
 * failed), two frames drawn (a scroll's handlers and the renders they cause), then every finite animation and
 * transition (fade-ins) finished. Each wait is capped at 3 s, so a paused animation cannot hold a test.
 */
export async function quiet(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const capped = (waits: Promise<unknown>[]) => Promise.race([Promise.all(waits), new Promise((resolve) => setTimeout(resolve, 3000))]);
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const onScreen = [...document.images].filter((img) => {
      const box = img.getBoundingClientRect();
      return !img.complete && box.bottom > 0 && box.top < innerHeight && box.width > 0;
    });
    await capped(
      onScreen.map(
        (img) => new Promise((resolve) => (img.addEventListener('load', resolve, { once: true }), img.addEventListener('error', resolve, { once: true }))),
      ),
    );
    await frame();
    await frame();
    const finite = document.getAnimations().filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
    await capped(finite.map((animation) => animation.finished.catch(() => undefined)));
  });
}

/** A full-page screenshot once the page is still (fade-ins finished), saved under SCREENSHOTS. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await quiet(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
}

/** Retries an assertion for up to 20 s (pages poll or stream from the server). */
export const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, interval: 100, ...options });

/** Waits until every thumbnail matching the selector has loaded real pixels. */
export async function imagesLoaded(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(
    ({ selector, count }) => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>(selector));
      return images.length === count && images.every((img) => img.complete && img.naturalWidth > 0);
    },
    { selector, count },
    { timeout: 30_000 },
  );
}

/** The admin the browser tests sign in as (set up on first use of a fresh server). */
export const TEST_ADMIN = { name: 'Test Admin', email: 'admin@shoebox.test', password: 'a long test password' };

/** A session token for the test admin: sets the server up when nobody has, else signs in. */
export async function adminSession(baseUrl: string): Promise<string> {
  const headers = { 'content-type': 'application/json', origin: baseUrl };
  let response = await fetch(`${baseUrl}/api/auth/setup`, { method: 'POST', headers, body: JSON.stringify(TEST_ADMIN) });
  if (response.status === 409) {
    response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }),
    });
  }
  if (!response.ok) throw new Error(`signing the test admin in answered ${response.status}: ${await response.text()}`);
  const cookie = /shoebox_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
  if (!cookie) throw new Error('no session cookie in the sign-in answer');
  return cookie[1]!;
}

/** A browser context signed in to the server as the test admin (a real session cookie). */
export async function signedInContext(browser: Browser, server: { url: string }, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: 'shoebox_session', value: await adminSession(server.url), url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}
