// The export as a ZIP, streamed as it is made (yazl, entries stored: photos do not shrink): the same files and
// names as an export into a folder (./run.ts exportTo), each file made into a scratch file first (its checksum
// checked), added, and removed once the ZIP has read it — one at a time, so the scratch holds one file. The manifest
// with each file's SHA-256 comes last. For an album, a selection or the whole library from the web app; a download
// cut off starts again (`shoebox export` is the resumable way).
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { checkedSha256, exportTo, MANIFEST, type ExportOptions, type ExportOutcome, type ExportSink, type ExportSource, type ManifestEntry } from './run.js';
import { makeTempFolder } from '../../base/process-folders.js';

export interface ExportZip {
  stream: Readable;
  /** Settles when the ZIP is complete (its outcome), or failed. */
  done: Promise<ExportOutcome>;
}

export function exportZip(source: ExportSource, options: ExportOptions): ExportZip {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as unknown as Readable;
  const manifest: ManifestEntry[] = [];
  // the client gone before the end: the file being read is let go, and no more are made
  const gone = new AbortController();
  let reading: Readable | null = null;
  output.once('close', () => {
    gone.abort();
    reading?.destroy();
  });
  const done = (async () => {
    const scratch = await makeTempFolder('export');
    let n = 0;
    const sink: ExportSink = {
      async file(relative, photoId, kind, make, expected, modified) {
        const file = path.join(scratch, String(n++));
        try {
          await make(file);
          const sha256 = await checkedSha256(file, relative, expected);
          const { size } = await fs.stat(file);
          if (gone.signal.aborted) throw new Error('the download was given up');
          const stream = createReadStream(file);
          reading = stream;
          // the file's time that dates the photo, for the folder it is unpacked to (else the time it was made)
          zip.addReadStream(stream, relative, { compress: false, size, ...(modified ? { mtime: modified } : {}) });
          await finished(stream); // read into the ZIP (at the pace the client takes it)
          reading = null;
          manifest.push({ path: relative, sha256, bytes: size, photoId, kind });
          return 'written';
        } finally {
          await fs.rm(file, { force: true });
        }
      },
      async text(relative, text) {
        zip.addBuffer(Buffer.from(text), relative, { compress: true });
      },
    };
    try {
      const outcome = await exportTo(source, sink, { ...options, signal: gone.signal });
      zip.addBuffer(Buffer.from(manifest.map((entry) => `${JSON.stringify(entry)}\n`).join('')), MANIFEST, { compress: true });
      // what could not be exported, and why (the manifest lists what was)
      if (outcome.failed.length > 0)
        zip.addBuffer(Buffer.from(outcome.failed.map((f) => `${JSON.stringify(f)}\n`).join('')), 'failed.jsonl', { compress: true });
      zip.end();
      return outcome;
    } catch (error) {
      output.destroy(error as Error);
      throw error;
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  })();
  return { stream: output, done };
}
