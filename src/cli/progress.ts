import cliProgress from 'cli-progress';

/** Seconds as the bar shows them: 45s, 3m 05s, 2h 07m. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Time left at the pace kept since the start (the whole run, not the last few updates: photos finish in bursts
 * once their analysis ends, and a burst must not promise the rest in a second); unknown until there is a pace.
 */
export function etaText(done: number, total: number, elapsedSeconds: number): string {
  if (done >= total) return '0s';
  if (done === 0 || elapsedSeconds < 2) return '…';
  return formatDuration(((total - done) * elapsedSeconds) / done);
}

/** A progress bar with done/total, rate and ETA; plain lines when the output is not a terminal. */
export function createProgress(label: string, total: number) {
  const started = Date.now();
  const interactive = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_text}`,
      stream: process.stderr,
      noTTYOutput: !interactive,
      notTTYSchedule: 2000,
      hideCursor: interactive,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '0.0', eta_text: '…' });
  let done = 0;
  // once set, the server's estimate (the jobs page's) is shown instead of this process's own pace
  let given: { seconds: number | null } | null = null;
  const update = () => {
    const seconds = (Date.now() - started) / 1000;
    const eta = given === null ? etaText(done, total, seconds) : done >= total ? '0s' : given.seconds === null ? 'estimating…' : formatDuration(given.seconds);
    bar.update(done, { rate: (done / Math.max(seconds, 0.001)).toFixed(1), eta_text: eta });
  };
  return {
    tick() {
      done += 1;
      update();
    },
    set(value: number) {
      done = value;
      update();
    },
    /** The time left as the server estimates it (GET /api/jobs' etaSeconds; null: not steady yet). */
    estimate(seconds: number | null) {
      given = { seconds };
      update();
    },
    stop() {
      bar.stop();
    },
  };
}
