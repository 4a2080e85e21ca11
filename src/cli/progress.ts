import cliProgress from 'cli-progress';

/** A progress bar with done/total, rate and ETA; plain lines when the output is not a terminal. */
export function createProgress(label: string, total: number) {
  const started = Date.now();
  const interactive = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: !interactive,
      notTTYSchedule: 2000,
      etaBuffer: 50,
      hideCursor: interactive,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '0.0' });
  let done = 0;
  return {
    tick() {
      done += 1;
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: (done / Math.max(seconds, 0.001)).toFixed(1) });
    },
    set(value: number) {
      done = value;
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: (done / Math.max(seconds, 0.001)).toFixed(1) });
    },
    stop() {
      bar.stop();
    },
  };
}
