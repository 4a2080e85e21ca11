// Nothing leaves the machine unless a setting says so (README, "Egress"). The real server, started as a user
// starts it (`shoebox serve`, no setting at all), imports photos, runs every pipeline step, answers searches and
// serves every page of the web app to Chromium at desk and phone sizes; a guard loaded into its Node process (and
// its worker threads) records and refuses every connection and DNS query to anything but loopback, and the
// browser records every request for anything but the server (fonts, CDNs, analytics, map tiles). Both must be
// empty; the same guards are shown to catch such requests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, launchBrowser } from '../helpers/browser.js';
import { spawnServer } from '../helpers/cli.js';
import { assets } from '../helpers/corpus.js';
import { authFetch, json, repoRoot, tempDir, upload, waitForTerminal } from '../helpers/server.js';

const GUARD = path.join(repoRoot, 'test', 'helpers', 'egress-guard.cjs');
const PHOTOS = ['albums/nature/prairie_falcon.jpg', 'albums/nature/cyclamen_persicum.jpg', 'albums/text/craft-beer.jpg', 'metadata/faces/portrait.jpg', 'formats/heic/IMG_2682.heic', 'metadata/gps-position/thompson-springs.jpg'];
const SIZES = [
  { name: 'desk', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];

interface Attempt {
  kind: string;
  target: string;
  at?: string[];
}
const readLog = (file: string): Attempt[] =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Attempt)
    : [];

const isServer = (url: string, server: string) => url.startsWith(`${server}/`) || url === server || /^(data|blob|about):/.test(url);

/** A browser context that records, and aborts, every request for anything but the server. */
async function watchedContext(browser: Browser, server: string, options: Parameters<Browser['newContext']>[0], outside: string[], seen: string[]): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    seen.push(url);
    if (isServer(url, server)) await route.continue();
    else {
      outside.push(url);
      await route.abort('blockedbyclient');
    }
  });
  // requests the routing layer never sees (a service worker's, a preconnect) still show here
  context.on('request', (request) => {
    if (!isServer(request.url(), server) && !outside.includes(request.url())) outside.push(request.url());
  });
  // and what the page's own content security policy stopped before it reached the network: the page tried
  context.on('page', (page) =>
    page.on('console', (message) => {
      const refused = /Refused to (?:load|connect to|frame|execute)[^']*'([^']+)'/.exec(message.text());
      if (refused && !isServer(refused[1]!, server)) outside.push(refused[1]!);
    }),
  );
  return context;
}

/**
 * Opens a page and waits until it has asked for nothing new for a moment (the app keeps its live job stream open,
 * so the browser's own "network idle" never comes): its scripts, styles, fonts, images and what they load next
 * (at most 4 s: a page that polls keeps asking).
 */
async function open(page: Page, url: string, seen: string[]): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  for (let i = 0, before = -1; i < 10 && seen.length !== before; i++) {
    before = seen.length;
    await page.waitForTimeout(400);
  }
}

describe('egress: with no setting that asks for it, nothing leaves the machine', () => {
  const dataDir = tempDir('shoebox-egress-');
  const log = path.join(tempDir('shoebox-egress-log-'), 'attempts.jsonl');
  let server: Awaited<ReturnType<typeof spawnServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await spawnServer(dataDir, { NODE_OPTIONS: `--require ${GUARD}`, SHOEBOX_EGRESS_LOG: log, LOG_LEVEL: 'warn' }, { inheritEnv: false });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(path.dirname(log), { recursive: true, force: true });
  });

  it('imports, runs every step, searches and serves every page with no connection or lookup beyond loopback', async () => {
    const outside: string[] = [];
    const seen: string[] = [];

    // The first screen a new user sees (setting up the first account), before anyone has signed in.
    for (const size of SIZES) {
      const context = await watchedContext(browser, server.url, { viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch }, outside, seen);
      const page = await context.newPage();
      await open(page, `${server.url}/`, seen);
      expect(outside).toEqual([]);
      await page.locator('form').first().waitFor();
      await context.close();
    }

    // An import with every kind of work: faces, text, a HEIC, a place, plain photos.
    const session = await adminSession(server.url);
    const uploaded = await upload(
      server.url,
      PHOTOS.map((file) => ({ path: path.join(assets, file) })),
    );
    expect(uploaded.status).toBe(201);
    const ids: string[] = uploaded.body.items.map((item: { id: string }) => item.id);
    const states = await waitForTerminal(server.url, ids, 240_000);
    expect(Object.values(states).every((state) => state === 'completed' || state === 'partial')).toBe(true);
    const ran = new Set<string>();
    for (const id of ids) {
      const { body } = await json(`${server.url}/api/photos/${id}`);
      for (const [step, info] of Object.entries(body.steps as Record<string, { status: string }>)) {
        expect(['done', 'skipped'], `${id} ${step}`).toContain(info.status);
        if (info.status === 'done') ran.add(step);
      }
    }
    // the steps that run with no model downloaded and no provider set all ran
    for (const step of ['preprocessing', 'metadata', 'hashes', 'palette', 'faces', 'ocr', 'duplicates']) expect(ran).toContain(step);

    // Searches, suggestions, an album and a share link's visitor page.
    for (const q of ['falcon', 'beer', 'flower 2019', 'Utah']) expect((await json(`${server.url}/api/search?q=${encodeURIComponent(q)}`)).status).toBe(200);
    expect((await json(`${server.url}/api/search/suggest?q=fa`)).status).toBe(200);
    const album = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Trip', photoIds: ids.slice(0, 3) } })).body;
    const link = (await json(`${server.url}/api/shared-links`, { method: 'POST', json: { albumId: album.id } })).body;
    const person = (await json(`${server.url}/api/people`)).body.items?.[0];
    // memories computed (the page asks for them too), and one of them opened if there is any
    const memory = (await json(`${server.url}/api/memories`)).body.items?.[0];

    const pages = [
      '/',
      `/photos/${ids[0]}`,
      '/search?q=falcon',
      '/people',
      ...(person ? [`/people/${person.id}`] : []),
      '/albums',
      `/albums/${album.id}`,
      '/duplicates',
      '/jobs',
      '/trash',
      '/favorites',
      '/map',
      '/map?at=38.72,-9.14,12',
      '/memories',
      ...(memory ? [`/memories/${memory.id}`] : []),
      '/archive',
      '/import',
      '/account',
      '/sharing',
      '/create',
      '/catalogue',
      '/settings/libraries',
      '/settings/models',
      '/no-such-page',
      '/api/docs',
    ];
    // the two sizes side by side (each page still watched until its own requests go quiet)
    const openAll = async (size: (typeof SIZES)[number]) => {
      const seenHere: string[] = [];
      let count = 0;
      const signedIn = await watchedContext(browser, server.url, { viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch }, outside, seenHere);
      await signedIn.addCookies([{ name: 'shoebox_session', value: session, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
      const page = await signedIn.newPage();
      for (const route of pages) {
        await open(page, `${server.url}${route}`, seenHere);
        expect(outside, route).toEqual([]);
        count += 1;
      }
      await signedIn.close();
      const visitor = await watchedContext(browser, server.url, { viewport: size.viewport }, outside, seenHere);
      await open(await visitor.newPage(), `${server.url}/s/${link.token}`, seenHere);
      await visitor.close();
      seen.push(...seenHere);
      return count + 1;
    };
    const opened = (await Promise.all(SIZES.map(openAll))).reduce((sum, count) => sum + count, 0);

    expect(opened).toBe(2 * (pages.length + 1));
    expect(seen.length).toBeGreaterThan(100); // the pages did load their parts (from the server)
    expect(outside).toEqual([]);
    expect(readLog(log)).toEqual([]);
    // the guard was in the server's process and in its worker threads (faces, OCR), where the work ran
    const guarded = fs.readFileSync(`${log}.guarded`, 'utf8').split('\n').filter(Boolean);
    expect(guarded).toContain(`${server.child.pid} main`);
    expect(guarded.filter((line) => line === `${server.child.pid} worker`).length).toBeGreaterThanOrEqual(1);

    // Pages tell the browser not to look up the hosts they merely mention.
    for (const route of ['/', '/api/health']) expect((await authFetch(`${server.url}${route}`)).headers.get('x-dns-prefetch-control')).toBe('off');
  }, 420_000);

  it('catches what would leave: the guards record and refuse a lookup, a connection and a page asking for fonts and a CDN', async () => {
    // In Node (a process and its worker thread, with the same guard the server ran under).
    const controlLog = path.join(path.dirname(log), 'control.jsonl');
    const script = [
      "const dns = require('node:dns'); const net = require('node:net'); const { Worker } = require('node:worker_threads');",
      "dns.lookup('example.com', (e) => console.log('lookup', e && e.code));",
      "net.connect(80, '192.0.2.1').on('error', (e) => console.log('connect', e.message));",
      "new Worker(\"fetch('https://cdn.example.net/x.js').catch((e) => console.log('worker', String(e.cause && e.cause.message)))\", { eval: true });",
    ].join('\n');
    const output = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, NODE_OPTIONS: `--require ${GUARD}`, SHOEBOX_EGRESS_LOG: controlLog } });
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.on('close', () => resolve(text));
    });
    expect(output).toMatch(/lookup ENOTFOUND/);
    expect(output).toMatch(/connect egress refused/);
    expect(output).toMatch(/worker egress refused/);
    expect(readLog(controlLog).map((attempt) => `${attempt.kind} ${attempt.target}`).sort()).toEqual(['connect 192.0.2.1:80', 'connect cdn.example.net:443', 'dns.lookup example.com']);

    // In the browser: a page that asks for a web font and a script from a CDN.
    const outside: string[] = [];
    const context = await watchedContext(browser, server.url, {}, outside, []);
    const page = await context.newPage();
    await page.setContent(
      '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter"><script src="https://cdn.example.net/analytics.js"></script><p>x</p>',
      { waitUntil: 'load' },
    );
    await context.close();
    expect([...new Set(outside)].sort()).toEqual(['https://cdn.example.net/analytics.js', 'https://fonts.googleapis.com/css2?family=Inter']);
  });
});
