import { startMetricsServer } from '../metrics/server.js';
import { openLibrary } from '../app/open.js';
import type { Settings } from '../config/settings.js';
import { createLogger } from '../base/logger.js';
import { LANE_NAMES, laneOf, type LaneName } from '../model/lanes.js';
import { STEP_NAMES, type StepName } from '../model/photo-state.js';
import { closeOnSignals } from './signals.js';

/** The lanes that run the given steps: a lane's steps run together, so asking for one step takes its lane. */
export function lanesForSteps(steps: readonly string[] | undefined): LaneName[] {
  if (!steps || steps.length === 0) return [...LANE_NAMES];
  const unknown = steps.filter((step) => !(STEP_NAMES as readonly string[]).includes(step));
  if (unknown.length > 0) throw new Error(`unknown step ${unknown.join(', ')}: the steps are ${STEP_NAMES.join(', ')}`);
  return [...new Set(steps.map((step) => laneOf(step as StepName)))];
}

/**
 * `shoebox worker`: runs the pipeline (every lane, or those of `--steps`) from the cluster's shared queue, with no
 * HTTP server, until SIGTERM or SIGINT; then finishes the steps it is running.
 */
export async function runWorker(settings: Settings, flags: { steps?: string }): Promise<void> {
  if (!settings.redisUrl || !settings.databaseUrl) {
    throw new Error(
      'shoebox worker needs REDIS_URL and DATABASE_URL: it takes its work from the queue a cluster shares (an embedded library runs its worker inside serve)',
    );
  }
  const lanes = lanesForSteps(flags.steps?.split(/[,\s]+/).filter(Boolean));
  const logger = createLogger(settings.logLevel);
  const lib = await openLibrary(settings, logger);
  // generation jobs too, unless the worker was given only some steps
  await lib.startPipeline({ lanes, generation: !flags.steps });
  const metrics = settings.metricsPort === undefined ? null : await startMetricsServer(lib.metrics, settings.host, settings.metricsPort);
  logger.info({ lanes, generation: !flags.steps, concurrency: settings.concurrency, metricsPort: metrics?.port }, 'worker started');
  process.stderr.write(
    `Shoebox worker is running (lanes: ${lanes.join(', ')}${flags.steps ? '' : ', generation'}${metrics ? `; metrics on port ${metrics.port}` : ''})\n`,
  );
  closeOnSignals(
    logger,
    async () => {
      await metrics?.close();
      await lib.close();
    },
    'worker stopping: finishing the steps it runs',
  );
}
