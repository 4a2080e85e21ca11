// Zip archives for tests, made with yazl (the library Shoebox's own exports use).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Unix mode (a link: 0o120777). */
  mode?: number;
}

/** Every file under `dir`, named `prefix` + its path inside `dir`. */
export async function folderEntries(dir: string, prefix = ''): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  for (const item of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!item.isFile()) continue;
    const file = path.join(item.parentPath, item.name);
    entries.push({ name: prefix + path.relative(dir, file).split(path.sep).join('/'), data: await readFile(file) });
  }
  return entries;
}

export function makeZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, entry.mode === undefined ? {} : { mode: entry.mode });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/**
 * A zip written by hand from one deflated `data`: each name an entry of its own copy of the data, or with `shared`,
 * every entry's central-directory record pointing at one local header and its data — the "non-recursive zip bomb",
 * which no zip tool writes. CRCs are left 0 (yauzl does not check them).
 */
export function deflatedZip(names: readonly string[], data: Buffer, options: { shared?: boolean } = {}): Buffer {
  const deflated = deflateRawSync(data, { level: 9 });
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [index, name] of names.entries()) {
    const nameBytes = Buffer.from(name, 'utf8');
    const at = options.shared ? 0 : offset;
    if (!options.shared || index === 0) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x800, 6);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(deflated.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      locals.push(local, nameBytes, deflated);
      offset += local.length + nameBytes.length + deflated.length;
    }
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x800, 8);
    record.writeUInt16LE(8, 10);
    record.writeUInt32LE(deflated.length, 20);
    record.writeUInt32LE(data.length, 24);
    record.writeUInt16LE(nameBytes.length, 28);
    record.writeUInt32LE(at, 42);
    central.push(record, nameBytes);
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
