// The server's memory while it analyses phone photos and once it is idle again (issue 32, item 6: ≤ 1.5 GB peak,
// ≤ 400 MB idle). `shoebox serve` is spawned on a new library the way `npm start` does (`MALLOC_ARENA_MAX=2`,
// `MALLOC_MMAP_THRESHOLD_=131072`), with the face and OCR workers' idle release at 10 s (default 120 s) so that
// "idle" is reached within the run; N photos of the realistic 12 MP set (people, text, HEIC; bench/analysis) are
// imported through it with `shoebox import --wait`. Its resident memory is sampled every 200 ms from /proc; when idle, it is broken down by
// the kernel's accounting (/proc/PID/smaps: the largest anonymous mappings; WebAssembly's memories are those followed
// by GiBs reserved without access) and Node's own (heap and external memory, read from the server's metrics).
// Reference in the same run: the server's idle memory on the same library before any photo arrives.
// Issue 61: a mixed roll — the photos, phone clips (1080p H.264 and HEVC, 4K HEVC), a Live Photo and two motion
// photos (bench/memory/roll.ts) —, then its export re-imported into a new library by a second server; peaks of the
// server alone and with its children (ffmpeg, ExifTool), each as a ratio to its idle reference.
// Usage: npm run bench:memory [-- --photos 45] [--photos-only] [--no-export] [--glibc-defaults]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { arg } from '../args.js';
import { makeRealisticSet } from '../analysis/realistic-set.js';
import { repoRoot } from '../search/generate.js';
import { addClips } from './roll.js';
import { assets } from '../../test/helpers/corpus.js';

const PHOTOS = Number(arg('photos') ?? 45);
// the roll's clips, Live Photo and motion photos beside the photos, and the export re-imported into a new library
const CLIPS = !process.argv.includes('--photos-only');
const EXPORT = CLIPS && !process.argv.includes('--no-export');
const PORT = 3291;
const METRICS_PORT = 3292;
const IDLE_SECONDS = 10;
const work = path.join(repoRoot, 'bench/memory/.work');
const cli = path.join(repoRoot, 'bin/shoebox.js');
// what `npm start` sets; `--glibc-defaults` measures without them (the reference for the allocator settings)
const allocator = process.argv.includes('--glibc-defaults') ? {} : { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
const env = {
  ...process.env,
  ...allocator,
  SHOEBOX_LOG_LEVEL: 'warn',
  SHOEBOX_MODEL_IDLE_SECONDS: String(IDLE_SECONDS),
  SHOEBOX_METRICS_PORT: String(METRICS_PORT),
};
const MB = 1024 * 1024;

function get(port: number, route: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: route }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function waitUntilServing(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const answer = await get(PORT, '/api/health').catch(() => null);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not answer within 60 s');
}

/** kB figures of /proc/PID/status, in MB. */
function status(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = /^(Vm\w+|Rss\w+):\s+(\d+) kB/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) / 1024;
  }
  return out;
}

interface Mapping {
  reservedMb: number;
  rssMb: number;
  anonymous: boolean;
  /** What V8 reserved beyond it without access (a WebAssembly memory's guard region: GiBs). */
  guardMb: number;
}

/** The largest resident anonymous mappings (MB), with their size reserved, from /proc/PID/smaps. */
function largestAnonymous(pid: number, count: number): Mapping[] {
  const mappings: (Mapping & { start: number; end: number; access: boolean })[] = [];
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (header) {
      const [start, end] = [parseInt(header[1]!, 16), parseInt(header[2]!, 16)];
      mappings.push({
        start,
        end,
        reservedMb: (end - start) / MB,
        rssMb: 0,
        anonymous: header[4] === '0' && !header[5]!.startsWith('/'),
        guardMb: 0,
        access: header[3] !== '---p',
      });
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && mappings.length > 0) mappings[mappings.length - 1]!.rssMb = Number(rss[1]) / 1024;
  }
  mappings.forEach((mapping, i) => {
    const next = mappings[i + 1];
    if (next && !next.access && next.start === mapping.end) mapping.guardMb = next.reservedMb;
  });
  return mappings
    .filter((mapping) => mapping.anonymous && mapping.access)
    .sort((a, b) => b.rssMb - a.rssMb)
    .slice(0, count)
    .map(({ reservedMb, rssMb, anonymous, guardMb }) => ({
      reservedMb: Math.round(reservedMb),
      rssMb: Math.round(rssMb),
      anonymous,
      guardMb: Math.round(guardMb),
    }));
}

/** Node's own accounting from the server's Prometheus metrics (MB). */
async function nodeMemory(): Promise<Record<string, number>> {
  const text = (await get(METRICS_PORT, '/metrics')).body;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / MB;
  return {
    heapUsed: value('shoebox_nodejs_heap_size_used_bytes'),
    heapTotal: value('shoebox_nodejs_heap_size_total_bytes'),
    external: value('shoebox_nodejs_external_memory_bytes'),
  };
}

async function idleFigures(pid: number, label: string): Promise<void> {
  const own = status(pid);
  const node = await nodeMemory();
  const round = (value: number) => Math.round(value);
  console.log(
    `${label}: VmRSS ${round(own.VmRSS!)} MB (anonymous ${round(own.RssAnon!)}, files ${round(own.RssFile!)}), V8 heap ${round(node.heapUsed!)}/${round(node.heapTotal!)} MB, external ${round(node.external!)} MB`,
  );
  console.log(
    `  largest anonymous mappings (reserved → resident MB): ${largestAnonymous(pid, 6)
      .map((m) => `${m.reservedMb}→${m.rssMb}${m.guardMb > 1024 ? ' (WebAssembly)' : ''}`)
      .join(', ')}`,
  );
}

/**
 * Resident memory (MB) of a process and of all its descendants (ffmpeg, ExifTool, the model threads are threads), and
 * the descendants' memory added up by command name (which of them holds the tree's peak).
 */
function treeRss(pid: number): { own: number; tree: number; byCommand: Map<string, number> } {
  const children = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      commands.set(Number(entry), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    } catch {
      // gone meanwhile
    }
  }
  const rss = (p: number) => {
    try {
      return status(p).VmRSS ?? 0;
    } catch {
      return 0;
    }
  };
  const own = rss(pid);
  const serverCommand = commands.get(pid);
  let tree = own;
  const byCommand = new Map<string, number>();
  const pending = [...(children.get(pid) ?? [])];
  for (let i = 0; i < pending.length && i < 1000; i++) {
    const command = commands.get(pending[i]!) ?? '?';
    // a child still named as the server is one forked and not yet exec'ed into its tool: its resident pages are the
    // server's own, shared (it showed as a 460 MB "node" child), and counting them would add the server twice
    pending.push(...(children.get(pending[i]!) ?? []));
    if (command === serverCommand) continue;
    const child = rss(pending[i]!);
    tree += child;
    byCommand.set(command, (byCommand.get(command) ?? 0) + child);
  }
  return { own, tree, byCommand };
}

/** Runs a CLI command against the server while sampling its memory every 200 ms; the peaks (MB) and seconds. */
async function sampled(pid: number, args: string[]): Promise<{ own: number; tree: number; seconds: number; children: string }> {
  const peak = { own: 0, tree: 0 };
  const commands = new Map<string, number>();
  const sampler = setInterval(() => {
    const now = treeRss(pid);
    peak.own = Math.max(peak.own, now.own);
    peak.tree = Math.max(peak.tree, now.tree);
    for (const [command, mb] of now.byCommand) commands.set(command, Math.max(commands.get(command) ?? 0, mb));
  }, 200);
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`shoebox ${args[0]} exited with ${code}`);
  const children = [...commands].sort((a, b) => b[1] - a[1]).map(([command, mb]) => `${command} ${Math.round(mb)}`);
  return { ...peak, seconds: (performance.now() - started) / 1000, children: children.join(', ') || 'none' };
}

/** A server on `library` for `fn`, stopped after it. */
async function withServer(library: string, fn: (pid: number) => Promise<void>): Promise<void> {
  const server = spawn(process.execPath, [cli, 'serve', '--data', library, '--port', String(PORT)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitUntilServing();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await fn(server.pid!);
  } finally {
    server.kill('SIGTERM');
    // at most 30 s to stop, then killed (the next phase's server takes the same port)
    const killer = setTimeout(() => server.kill('SIGKILL'), 30_000);
    await new Promise((resolve) => server.once('exit', resolve));
    clearTimeout(killer);
  }
}

async function importPhase(pid: number, label: string, folder: string, library: string): Promise<void> {
  const reference = status(pid).VmRSS!;
  await idleFigures(pid, `${label}: new library, idle before any photo (reference)`);
  const peak = await sampled(pid, ['import', folder, '--data', library, '--wait']);
  const ratio = (mb: number) => `${(mb / reference).toFixed(2)}×`;
  console.log(
    `${label}: ${fs.readdirSync(folder, { recursive: true }).length} entries in ${peak.seconds.toFixed(0)} s: peak VmRSS ${Math.round(peak.own)} MB (${ratio(peak.own)} the reference; VmHWM ${Math.round(status(pid).VmHWM!)} MB), with its children ${Math.round(peak.tree)} MB (${ratio(peak.tree)})`,
  );
  console.log(`${label}: the children's peaks by command, those running at once added up (MB): ${peak.children}`);
  await idleFigures(pid, `${label}: right after the import`);
}

async function main(): Promise<void> {
  const set = await makeRealisticSet(assets, path.join(repoRoot, 'bench/analysis/.work'));
  const photos = path.join(work, 'photos');
  const library = path.join(work, 'library');
  const exported = path.join(work, 'export');
  const again = path.join(work, 'library-again');
  for (const dir of [photos, library, exported, again]) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(photos, { recursive: true });
  // people, text and HEIC in the set's proportions: photos spread evenly over the set
  const chosen = Array.from({ length: Math.min(PHOTOS, set.photos.length) }, (_, i) => set.photos[Math.floor((i * set.photos.length) / PHOTOS)]!);
  for (const photo of chosen) fs.copyFileSync(path.join(set.dir, photo.name), path.join(photos, photo.name));
  const clips = CLIPS ? await addClips(work, photos) : [];
  console.log(
    `the roll: ${chosen.length} photos (${chosen.filter((p) => p.category === 'people').length} with people, ${chosen.filter((p) => p.category === 'text').length} with text, ${chosen.filter((p) => p.heic).length} HEIC)${clips.length ? `, and ${clips.join(', ')}` : ''}`,
  );

  await withServer(library, async (pid) => {
    await importPhase(pid, 'import', photos, library);
    if (EXPORT) {
      const out = await sampled(pid, ['export', exported, '--data', library]);
      console.log(`export: ${out.seconds.toFixed(0)} s, peak VmRSS ${Math.round(out.own)} MB, with its children ${Math.round(out.tree)} MB`);
    }
    await new Promise((resolve) => setTimeout(resolve, (IDLE_SECONDS * 3 + 10) * 1000));
    await idleFigures(pid, `import: idle ${IDLE_SECONDS * 3 + 10} s after`);
  });
  if (EXPORT) await withServer(again, (pid) => importPhase(pid, 're-import of the export', exported, again));
}

await main();
