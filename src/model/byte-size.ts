// One way to write a size, for the web app and the CLI alike: decimal units (1 MB = 1,000,000 bytes), as the
// Hugging Face hub, macOS, iOS and Android write them, so that a model's size reads the same on the set-up, the
// gallery's offer, Settings → Models, `shoebox models list` and the docs (609 MB, not 581 here and 609 there).

const UNITS = ['kB', 'MB', 'GB', 'TB'];

/** "512 B", "8.4 MB", "609 MB", "2.6 GB": one decimal under 10 of a unit, none above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
