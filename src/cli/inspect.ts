import type { Settings } from '../config/settings.js';
import { createLogger } from '../base/logger.js';
import { closeRawExtractor } from '../media/decoders/raw.js';
import { stopDecoderWorkers } from '../media/decoders/wasm-worker.js';
import { inspectFile } from '../media/inspect.js';
import { closeMetadataReader } from '../media/exiftool-reader.js';
import { analyseImage } from '../ml/analyse.js';
import { MlServices } from '../ml/services.js';

/** `shoebox inspect FILE`: every step on one file, models from the library's data folder, nothing stored. */
export async function runInspect(file: string, settings: Settings, flags: { json?: boolean }): Promise<void> {
  const ml = new MlServices(settings.dataDir, settings.ml, createLogger('warn', 2));
  try {
    const result = await inspectFile(file, (input, errors) => analyseImage(ml, input, errors));
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
      `faces      ${result.faces ? result.faces.map((f) => `${Math.round(f.box.width)}×${Math.round(f.box.height)} at ${Math.round(f.box.x)},${Math.round(f.box.y)} (${f.score.toFixed(2)})`).join('; ') || 'none' : '—'}`,
      `objects    ${result.objects ? result.objects.map((o) => `${o.label} ${o.confidence.toFixed(2)} at ${Math.round(o.box.x)},${Math.round(o.box.y)}`).join('; ') || 'none' : '—'}`,
      `tags       ${result.tags?.map((t) => `${t.name} ${t.confidence.toFixed(2)}`).join(', ') || '—'}`,
      `caption    ${result.caption ? `${result.caption.caption}${result.caption.source === 'fallback' ? ' (from tags)' : ''}` : '—'}`,
      `embedding  ${result.embedding ? `${result.embedding.model}, ${result.embedding.dimensions}-d` : '—'}`,
      `text       ${result.ocr?.text.replace(/\s+/g, ' ').slice(0, 300) || '—'}`,
      `codes      ${result.codes?.map((c) => `${c.format} ${JSON.stringify(c.text.slice(0, 200))}`).join('; ') || '—'}`,
      ...Object.entries(result.errors).map(([step, error]) => `note       ${step}: ${error}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all([ml.close(), closeMetadataReader(), stopDecoderWorkers(), closeRawExtractor()]);
  }
}
