// The phone measured (issue 63 item 6): Shoebox's web app in Chromium's phone emulation (375×812, touch) against a
// real server on a new embedded library, on throttled networks (Chrome DevTools' presets through CDP
// Network.emulateNetworkConditions):
//   a. a 200-photo backup from the Back up page, the connection cut (offline) three times mid-upload: every photo
//      stored once (200 photos, each SHA-256 known to the library), the bytes the phone sent against the roll's;
//   b. the same roll backed up again: the bytes sent, against the roll's (target < 1 %);
//   c. the installed app's load on Fast 3G after the first visit: to the app's shell and to the first photo tile
//      (target ≤ 2 s), and the first visit's for contrast.
// Fast 3G (latency 562.5 ms, 180,000 B/s down, 84,375 B/s up) would take ~40 min for the roll's bytes alone: the
// bulk goes on a faster profile (BULK below), each cut's photo and the loads on Fast 3G. The bytes are counted on
// the wire by a loopback relay (wire.ts).
//
//   npm run bench:phone -- [--photos 200] [--cut-seconds 4] [--loads 3] [--only loads]
// --only loads: the photos are sent through the API instead of the Back up page (a. and b. skipped), and only the
// file's `loads` (and `loadsRun`) are replaced in bench/results/phone.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg } from '../args.js';
import { cameraRoll, type RollPhoto } from './roll.js';
import { startWire } from './wire.js';
import { backUp, type BackupRun } from './backup.js';
import { measureLoads } from './loads.js';
import { BULK, FAST_3G, PHONE } from './network.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test/helpers/chromium.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const workDir = path.join(here, '.work');
const webDir = path.join(workDir, 'web');
// src/config/paths.ts reads it once, when first imported: the server serves this benchmark's own build
process.env.SHOEBOX_WEB_DIR = webDir;

const PHOTOS = Number(arg('photos') ?? 200);
const CUT_SECONDS = Number(arg('cut-seconds') ?? 4);
const LOADS = Number(arg('loads') ?? 3);
const ONLY_LOADS = arg('only') === 'loads';

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const t0 = performance.now();
  const roll = await cameraRoll(workDir, PHOTOS, log);
  const rollBytes = roll.reduce((sum, photo) => sum + photo.size, 0);
  const sizes = roll.map((photo) => photo.size).sort((a, b) => a - b);
  log(`roll: ${roll.length} photos, ${(rollBytes / 1e6).toFixed(1)} MB (${(sizes[0]! / 1e3).toFixed(0)} KB – ${(sizes.at(-1)! / 1e6).toFixed(2)} MB)`);

  log('building the web app…');
  const { build } = await import('vite');
  await build({ configFile: path.join(repoRoot, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir: webDir, emptyOutDir: true } });

  const { loadSettings } = await import('../../src/config/settings.js');
  const { createLogger } = await import('../../src/base/logger.js');
  const { startServer } = await import('../../src/api/server.js');
  const { chromium } = await import('playwright-core');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-phone-'));
  // faces and the text in photos off, as a test that looks at neither: the backup and the loads are what is measured
  const settings = loadSettings({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', ml: { faces: 'off', ocrEngine: 'off' } }, {});
  const server = await startServer(settings, createLogger(settings.logLevel));
  const serverUrl = new URL(server.url);
  const wire = await startWire({ host: serverUrl.hostname, port: Number(serverUrl.port) });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const account = { name: 'Phone Owner', email: 'phone@shoebox.test', password: 'a long bench password' };
    const setup = await fetch(`${wire.url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: wire.url },
      body: JSON.stringify(account),
    });
    const session = /shoebox_session=([^;]+)/u.exec(setup.headers.get('set-cookie') ?? '')?.[1];
    if (!setup.ok || !session) throw new Error(`set-up answered ${setup.status}: ${await setup.text()}`);
    const signedIn = async () => {
      const context = await browser.newContext(PHONE);
      await context.addCookies([{ name: 'shoebox_session', value: session, url: wire.url, httpOnly: true, sameSite: 'Lax' }]);
      return context;
    };

    const backup: BackupRun | null = ONLY_LOADS ? null : await backUp({ signedIn, wire, roll, rollBytes, cutSeconds: CUT_SECONDS, log });
    if (ONLY_LOADS) await sendRoll(wire.url, session, roll);
    // the thumbnails made before the gallery is loaded: a library at rest is what the loads measure
    for (const since = performance.now(); performance.now() - since < 10 * 60_000; await new Promise((resolve) => setTimeout(resolve, 1000))) {
      const stats = (await (await fetch(`${wire.url}/api/stats`, { headers: { cookie: `shoebox_session=${session}` } })).json()) as {
        steps: Record<string, { pending: number; running: number }>;
      };
      const quick = stats.steps.preprocessing;
      if (quick && quick.pending + quick.running === 0) break;
    }
    const loads = await measureLoads({ signedIn, url: wire.url, wire, loads: LOADS, log });
    const out = path.join(repoRoot, 'bench/results/phone.json');
    if (ONLY_LOADS) {
      const kept = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
      const loadsRun = { photos: roll.length, machine: machine(), measuredAt: new Date().toISOString() };
      fs.writeFileSync(out, `${JSON.stringify({ ...kept, loads, loadsRun }, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify({ loads, loadsRun }, null, 2)}\n`);
      return log(`results: the loads in ${path.relative(repoRoot, out)}`);
    }

    const result = {
      photos: roll.length,
      roll: { bytes: rollBytes, smallestBytes: sizes[0], largestBytes: sizes.at(-1), medianBytes: sizes[Math.floor(sizes.length / 2)] },
      profiles: { fast3g: FAST_3G, bulk: BULK, cutSeconds: CUT_SECONDS },
      ...backup,
      loads,
      machine: machine(),
      totalSeconds: Math.round((performance.now() - t0) / 1000),
      measuredAt: new Date().toISOString(),
    };
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    log(`results: ${path.relative(repoRoot, out)}`);
  } finally {
    await browser.close();
    await wire.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const machine = () =>
  `${os.cpus().length} cores, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

/** The roll sent through the API, ten photos a request, for --only loads. */
async function sendRoll(url: string, session: string, roll: RollPhoto[]): Promise<void> {
  for (let i = 0; i < roll.length; i += 10) {
    const form = new FormData();
    for (const photo of roll.slice(i, i + 10)) form.append('file', new Blob([fs.readFileSync(photo.path)], { type: 'image/jpeg' }), photo.name);
    const sent = await fetch(`${url}/api/photos`, { method: 'POST', headers: { cookie: `shoebox_session=${session}`, origin: url }, body: form });
    if (!sent.ok) throw new Error(`upload answered ${sent.status}: ${await sent.text()}`);
  }
}

await main();
