import type { Settings } from '../config/settings.js';
import type { JobsSnapshot } from '../library/jobs/index.js';
import type { EmbeddedSizeNotice } from '../model/embedded-size.js';
import { throughServerOrLibrary } from './listing.js';

export interface JobsFlags {
  json?: boolean;
  server?: string;
}

// The same words and the same numbers as the web app's jobs page (web/src/pages/Jobs.tsx, components/jobs).
const STATES = [
  ['pending', 'waiting'],
  ['processing', 'processing'],
  ['completed', 'completed'],
  ['partial', 'partly processed'],
  ['failed', 'failed'],
] as const;
const PARTS = [
  ['done', 'done'],
  ['skipped', 'skipped'],
  ['failed', 'failed'],
  ['running', 'running'],
  ['pending', 'waiting'],
] as const;

const count = (n: number) => n.toLocaleString('en-US');
const photos = (n: number) => `${count(n)} ${n === 1 ? 'photo' : 'photos'}`;

function eta(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** The snapshot as text: the headline, photos per state, each step's counts, the latest failures. */
export function formatJobs(snapshot: JobsSnapshot, failuresShown = 10): string {
  const state = (name: string) => snapshot.states[name] ?? 0;
  const working = state('pending') + state('processing');
  const lines: string[] = [];
  const run = snapshot.run;
  lines.push(working > 0 ? `${photos(working)} to process${run ? `: ${count(run.done)} of ${count(run.total)} done` : ''}` : 'All caught up: nothing waiting');
  const rate = snapshot.rate.photosPerMinute;
  const figures = [`queue ${photos(snapshot.queue.depth)}`, `speed ${rate > 0 ? `${rate.toFixed(1)} photos/min` : '—'}`];
  if (working > 0) figures.push(`time left ${snapshot.etaSeconds === null ? 'estimating…' : eta(snapshot.etaSeconds)}`);
  lines.push(figures.join(' · '));
  lines.push('', 'Photos');
  for (const [name, label] of STATES) lines.push(`  ${label.padEnd(18)} ${count(state(name)).padStart(9)}`);
  const steps = Object.entries(snapshot.steps).filter(([, progress]) => PARTS.some(([key]) => progress[key] > 0));
  if (steps.length > 0) {
    lines.push('', `Steps${' '.repeat(16)}${PARTS.map(([, label]) => label.padStart(9)).join('')}`);
    for (const [step, progress] of steps) lines.push(`  ${step.padEnd(19)}${PARTS.map(([key]) => count(progress[key]).padStart(9)).join('')}`);
  }
  if (snapshot.failuresTotal > 0) {
    const shown = snapshot.failures.slice(0, failuresShown);
    lines.push('', `Failures (${shown.length} of ${count(snapshot.failuresTotal)}, newest first)`);
    for (const failure of shown) lines.push(`  ${failure.filename}  ${failure.step}: ${failure.error}  ${failure.photoId}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `shoebox jobs`: the pipeline's progress, as GET /api/jobs and the jobs page show it, and the library's size notice. */
export async function runJobs(settings: Settings, flags: JobsFlags): Promise<void> {
  const { snapshot, outgrown } = await throughServerOrLibrary<{ snapshot: JobsSnapshot; outgrown: EmbeddedSizeNotice | null }>(
    settings,
    flags.server,
    'jobs',
    async (client) => {
      const [snapshot, health] = await Promise.all([client.jobs(), client.health().catch(() => null)]);
      return { snapshot, outgrown: health?.embeddedSize ?? null };
    },
    async (lib) => {
      const [{ jobsSnapshot }, { countLibraryPhotos }, { embeddedSizeNotice }] = await Promise.all([
        import('../library/jobs/index.js'),
        import('../library/photos/index.js'),
        import('../model/embedded-size.js'),
      ]);
      const photos = await countLibraryPhotos(lib.db);
      return { snapshot: await jobsSnapshot(lib), outgrown: embeddedSizeNotice(lib.database.kind, photos, settings.embeddedComfortablePhotos) };
    },
  );
  const warning = outgrown ? `Warning: ${outgrown.message}\n` : '';
  // the JSON stays GET /api/jobs' own: the warning goes beside it, for the person reading
  if (flags.json) process.stderr.write(warning);
  process.stdout.write(flags.json ? `${JSON.stringify(snapshot, null, 2)}\n` : `${formatJobs(snapshot)}${warning ? `\n${warning}` : ''}`);
}
