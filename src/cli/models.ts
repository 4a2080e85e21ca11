import cliProgress from 'cli-progress';
import type { Settings } from '../config/settings.js';
import { pullModel, type PullProgress } from '../ml/hub-download.js';
import { clipToOffer, getModelSpec, installedClip, type ModelDtype } from '../ml/model-catalogue.js';
import { installFromFolder, listModels, removeModel } from '../ml/registry.js';
import { formatBytes } from '../model/byte-size.js';
import { videoTools } from '../media/video/tools.js';
import { ENCODER_NAMES } from '../media/video/transcode.js';

/** `shoebox models list`: what is installed, what can be, and what each model enables. */
export async function runModelsList(settings: Settings, flags: { json?: boolean }): Promise<void> {
  const [models, tools] = await Promise.all([listModels(settings.dataDir), videoTools(settings.video)]);
  const installed = models.filter((m) => m.installed).map((m) => m.name);
  // the model the web app offers and every "CLIP model missing" message names (clipToInstall), marked as such
  const offered = clipToOffer({ inUse: settings.ml.clipModel, pinned: settings.ml.clipModelPinned, installed });
  const used = installedClip(settings.ml.clipModel, installed);
  const inUse = installed.includes(used) ? used : null;
  const { hwaccel } = settings.video;
  const ffmpeg =
    'problem' in tools
      ? { problem: tools.problem, hwaccel }
      : { version: tools.version, source: tools.source, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, hwaccel };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ configuredClip: settings.ml.clipModel, offeredClip: offered, models, ffmpeg }, null, 2)}\n`);
    return;
  }
  const rows = models.map((m) => [
    m.name + (m.name === inUse ? ' *' : m.name === offered ? ' +' : ''),
    m.installed ? (m.bundled ? 'bundled' : 'installed') : 'available',
    formatBytes(m.sizeBytes),
    m.enables.join(', '),
  ]);
  const header = ['NAME', 'STATUS', 'SIZE', 'ENABLES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(
    `\n${inUse ? '* the CLIP model in use (without a choice made on Settings → Models). ' : ''}${offered ? `+ the CLIP model to install (the web app offers it). ` : ''}Models live in ${settings.dataDir}/models.\n`,
  );
  for (const m of models) if (m.notes) process.stdout.write(`${m.name}: ${m.notes}\n`);
  process.stdout.write(
    'problem' in tools
      ? `\nffmpeg: none usable (${tools.problem}): videos get no poster or playable copy.\n`
      : `\nffmpeg ${tools.version} (${tools.source === 'npm' ? "npm's static build" : tools.source === 'system' ? "the system's" : 'SHOEBOX_FFMPEG'}: ${tools.ffmpeg}) makes videos' posters and playable copies` +
          `${hwaccel === 'off' ? '' : `, asking ${ENCODER_NAMES[hwaccel]} first (SHOEBOX_VIDEO_HWACCEL=${hwaccel})`}.\n`,
  );
}

/** `shoebox models pull NAME [--from DIR]`: download from the hub with a progress bar, or install a local copy. */
export async function runModelsPull(
  name: string,
  settings: Settings,
  flags: { from?: string; dtype?: ModelDtype; endpoint?: string; force?: boolean },
): Promise<void> {
  getModelSpec(name); // unknown names fail before any network
  if (flags.from) {
    const manifest = await installFromFolder(settings.dataDir, name, flags.from);
    process.stderr.write(`Installed ${name} from ${flags.from} (${manifest.files.length} files).\n`);
  } else {
    const bar = new cliProgress.SingleBar(
      {
        format: `${name} {file} [{bar}] {percentage}% | {received}/{size}`,
        stream: process.stderr,
        noTTYOutput: !process.stderr.isTTY,
        notTTYSchedule: 2000,
        hideCursor: Boolean(process.stderr.isTTY),
      },
      cliProgress.Presets.shades_classic,
    );
    let current = '';
    const onProgress = (p: PullProgress) => {
      const total = p.totalBytes ?? Math.max(p.receivedBytes, 1);
      const payload = {
        file: `(${p.fileIndex + 1}/${p.fileCount}) ${p.file}`,
        received: formatBytes(p.receivedBytes),
        size: p.totalBytes ? formatBytes(p.totalBytes) : '?',
      };
      if (p.file !== current) {
        if (current) bar.stop();
        current = p.file;
        bar.start(total, p.receivedBytes, payload);
      } else {
        bar.setTotal(total);
        bar.update(p.receivedBytes, payload);
      }
    };
    try {
      await pullModel(settings.dataDir, name, {
        dtype: flags.dtype,
        endpoint: flags.endpoint,
        force: flags.force,
        onProgress,
        redirectHosts: settings.ml.hubRedirectHosts,
      });
    } finally {
      if (current) bar.stop();
    }
    process.stderr.write(`Installed ${name}.\n`);
  }
  process.stderr.write(
    `A running server picks it up for new photos; for the photos already in the library run ` +
      `\`shoebox reprocess --step embeddings\` (or restart the server: steps that ran without it are redone).\n`,
  );
}

export async function runModelsRemove(name: string, settings: Settings): Promise<void> {
  const removed = await removeModel(settings.dataDir, name);
  process.stderr.write(removed ? `Removed ${name}.\n` : `${name} is not installed.\n`);
}
