import type { Settings } from '../config/settings.js';
import type { StepName } from '../model/photo-state.js';
import { withLibrary } from './listing.js';
import { findServer } from './target.js';
import { counted } from '../base/plural.js';

export async function runReprocess(settings: Settings, flags: { step: StepName; all?: boolean; wait?: boolean; server?: string }): Promise<void> {
  const server = await findServer(settings, flags.server);
  if (server) {
    const { queued } = await server.reprocess(flags.step, Boolean(flags.all));
    process.stderr.write(`Queued ${counted(queued, 'photo')} for ${flags.step} on ${server.baseUrl}.\n`);
    return;
  }
  await withLibrary(settings, 'reprocess', async (lib) => {
    const { reprocessStep } = await import('../library/photos/index.js');
    const queued = await reprocessStep(lib, flags.step, { all: flags.all });
    process.stderr.write(`Queued ${counted(queued, 'photo')} for ${flags.step}.\n`);
    if (flags.wait) {
      await lib.startPipeline();
      await lib.queue.idle();
      process.stderr.write('Done.\n');
    } else if (queued > 0) {
      process.stderr.write('They are processed when `shoebox serve` runs on this library (or use --wait).\n');
    }
  });
}
