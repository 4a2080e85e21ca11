import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../library/errors.js';
import { attachSidecar, ingestStream, type IngestedPhoto } from '../library/ingest.js';
import type { Library } from '../library/library.js';

type Item = IngestedPhoto | { filename: string; error: string; statusCode: number };

const isSidecarName = (name: string) => /\.xmp$/i.test(name);

/** The photo a sidecar belongs to: `IMG_1.jpg.xmp` → `IMG_1.jpg` first, else `IMG_1.xmp` → `IMG_1.*`. */
function sidecarTarget(sidecarName: string, photosByName: Map<string, IngestedPhoto>): IngestedPhoto | undefined {
  const base = sidecarName.replace(/\.xmp$/i, '');
  const exact = photosByName.get(base.toLowerCase());
  if (exact) return exact;
  for (const [name, photo] of photosByName) {
    if (name.slice(0, name.length - path.extname(name).length) === base.toLowerCase()) return photo;
  }
  return undefined;
}

function parseCheck(value: string): boolean {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new UserError(400, `checkDuplicate must be true or false, got ${JSON.stringify(value)}`);
}

function parseLastModified(value: string): Date | null {
  const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Streams every file part of a multipart request into the library, in order. One bad file does not spoil the
 * rest: it becomes an item with an error. When every file was refused, the answer carries the refusal's status.
 */
export async function uploadPhotos(lib: Library, request: FastifyRequest, reply: FastifyReply, options: { checkDuplicate?: boolean } = {}) {
  if (!request.isMultipart()) throw new UserError(400, 'send multipart/form-data with one or more `file` fields');
  let checkDuplicate = options.checkDuplicate ?? false;
  const items: Item[] = [];
  const sidecars: { filename: string; temp: string; index: number }[] = [];
  let lastModified: Date | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'lastModified') lastModified = parseLastModified(String(part.value));
        if (part.fieldname === 'checkDuplicate') checkDuplicate = parseCheck(String(part.value));
        continue;
      }
      const filename = path.basename(part.filename || 'unnamed');
      if (isSidecarName(filename)) {
        const temp = lib.storage.tempPath();
        await pipeline(part.file, createWriteStream(temp));
        sidecars.push({ filename, temp, index: items.length });
        items.push({ filename, error: 'pending', statusCode: 0 }); // settled below
        continue;
      }
      try {
        const photo = await ingestStream(lib, {
          filename,
          stream: part.file,
          fileModifiedAt: lastModified,
          wasTruncated: () => part.file.truncated,
          checkDuplicate,
        });
        items.push(photo);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        items.push({ filename, error: error.message, statusCode: error.statusCode });
      }
      lastModified = null;
    }

    const accepted = items.filter((item): item is IngestedPhoto => 'id' in item);
    const byName = new Map(accepted.map((photo) => [photo.filename.toLowerCase(), photo]));
    const toQueue = new Set(accepted.filter((photo) => !photo.duplicate).map((photo) => photo.id));
    for (const sidecar of sidecars) {
      const target = sidecarTarget(sidecar.filename, byName);
      if (!target) {
        items[sidecar.index] = { filename: sidecar.filename, error: 'XMP sidecar without its photo in this upload', statusCode: 400 };
        continue;
      }
      if (await attachSidecar(lib, target.id, sidecar.temp)) toQueue.add(target.id);
      items[sidecar.index] = { ...target, filename: sidecar.filename };
    }
    for (const id of toQueue) await lib.queue.add(id);
  } finally {
    await Promise.all(sidecars.map((s) => fs.rm(s.temp, { force: true })));
  }

  if (items.length === 0) throw new UserError(400, 'no file in the request: send one or more `file` fields');
  const refused = items.filter((item): item is Extract<Item, { error: string }> => 'error' in item);
  if (refused.length === items.length) {
    const first = refused[0]!;
    const statusCode = first.statusCode;
    return reply.code(statusCode).send({
      statusCode,
      error: statusCode === 413 ? 'Payload Too Large' : statusCode === 415 ? 'Unsupported Media Type' : 'Bad Request',
      message: refused.map((r) => r.error).join('; '),
      items,
    });
  }
  const created = items.some((item) => 'id' in item && !item.duplicate);
  return reply.code(created ? 201 : 200).send({ items });
}
