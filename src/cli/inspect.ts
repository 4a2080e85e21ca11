import { inspectFile } from '../media/inspect.js';
import { closeRawExtractor, stopDecoderWorkers } from '../media/decode.js';
import { closeMetadataReader } from '../media/metadata.js';

export async function runInspect(file: string, flags: { json?: boolean }): Promise<void> {
  try {
    const result = await inspectFile(file);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const m = result.metadata;
    const lines = [
      `file       ${result.file}`,
      `type       ${result.mime}, ${result.width ?? '?'}×${result.height ?? '?'}`,
      `sha256     ${result.sha256}`,
      `taken      ${m?.takenAt ?? '—'}${m?.timeZone ? ` (${m.timeZone})` : ''}`,
      `camera     ${[m?.make, m?.model].filter(Boolean).join(' ') || '—'}${m?.lens ? `, ${m.lens}` : ''}`,
      `location   ${m?.latitude != null ? `${m.latitude}, ${m.longitude}` : '—'}`,
      `rating     ${m?.rating ?? '—'}    orientation ${m?.orientation ?? '—'}`,
      `keywords   ${m?.keywords.join(', ') || '—'}`,
      `pdq        ${result.pdq ? `${result.pdq.hash} (quality ${result.pdq.quality})` : '—'}`,
      `palette    ${result.palette?.map((c) => `${c.hex} ${(c.share * 100).toFixed(0)}%`).join('  ') ?? '—'}`,
      ...Object.entries(result.errors).map(([step, error]) => `error      ${step}: ${error}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all([closeMetadataReader(), stopDecoderWorkers(), closeRawExtractor()]);
  }
}
