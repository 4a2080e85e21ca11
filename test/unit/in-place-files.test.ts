import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedFolders } from '../../src/library/write-back/guard.js';
import { openFolder, placeSidecar, readSidecar, SidecarRefusedError } from '../../src/library/write-back/sidecar-files.js';
import { fileIdOf, InPlaceFileGoneError, InPlaceFileRefusedError, mtimeMsOf, openInPlace, type InPlaceRecord } from '../../src/storage/in-place.js';

// The rules a file in place and a sidecar are read and written by, on real files: links out of the library refused,
// a file that is not the one recorded refused, links never written through.
describe('files in place', () => {
  let dir: string;
  let library: string;
  let outside: string;
  const record = (file: string): InPlaceRecord => {
    const stats = fs.statSync(file, { bigint: true });
    return { roots: [library], fileId: fileIdOf(stats), size: Number(stats.size), mtimeMs: mtimeMsOf(stats) };
  };
  const refusal = async (key: string, expected: InPlaceRecord) =>
    openInPlace(key, expected).then(
      async (opened) => {
        await opened.handle.close();
        return null;
      },
      (error: unknown) => error,
    );

  beforeAll(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-in-place-files-')));
    library = path.join(dir, 'library');
    outside = path.join(dir, 'outside');
    fs.mkdirSync(path.join(library, 'sub'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(library, 'a.jpg'), 'photo a');
    fs.writeFileSync(path.join(library, 'sub', 'b.jpg'), 'photo b');
    fs.writeFileSync(path.join(outside, 'secret'), 'secret');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens the recorded file, and a link that stays inside the library', async () => {
    const file = path.join(library, 'a.jpg');
    const opened = await openInPlace(file, record(file));
    expect((await opened.handle.readFile()).toString()).toBe('photo a');
    await opened.handle.close();
    fs.symlinkSync(path.join(library, 'sub', 'b.jpg'), path.join(library, 'b-link.jpg'));
    expect(await refusal(path.join(library, 'b-link.jpg'), record(path.join(library, 'sub', 'b.jpg')))).toBeNull();
  });

  it('refuses a link out of the library, even one with the size and time recorded', async () => {
    const file = path.join(library, 'swapped.jpg');
    fs.writeFileSync(file, 'photo');
    const expected = { ...record(file), fileId: null };
    fs.rmSync(file);
    fs.symlinkSync(path.join(outside, 'secret'), file);
    const error = await refusal(file, { ...expected, size: null, mtimeMs: null });
    expect(error).toBeInstanceOf(InPlaceFileRefusedError);
    expect((error as InPlaceFileRefusedError).message).toMatch(/outside the library/);
    expect((error as InPlaceFileRefusedError).kind).toBe('not-found');
  });

  it('refuses a file that is not the one recorded (edited, replaced), and what is not a regular file', async () => {
    const file = path.join(library, 'edited.jpg');
    fs.writeFileSync(file, 'before');
    const expected = record(file);
    fs.writeFileSync(file, 'after, longer');
    expect(await refusal(file, expected)).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/changed since the library’s last scan/) });
    // same size and time, another inode
    const replaced = path.join(library, 'replaced.jpg');
    fs.writeFileSync(replaced, 'same');
    const first = record(replaced);
    // made while the first still exists (another inode), then renamed over it
    fs.writeFileSync(`${replaced}.new`, 'same');
    fs.renameSync(`${replaced}.new`, replaced);
    fs.utimesSync(replaced, new Date(first.mtimeMs!), new Date(first.mtimeMs!));
    expect(await refusal(replaced, { ...first, mtimeMs: mtimeMsOf(fs.statSync(replaced, { bigint: true })) })).toMatchObject({ kind: 'conflict' });
    // a FIFO in a photo's place is refused without blocking
    const fifo = path.join(library, 'fifo.jpg');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal(fifo, { roots: [library], fileId: null, size: null, mtimeMs: null })).toMatchObject({ kind: 'not-found' });
    expect(await refusal(path.join(library, 'none.jpg'), { roots: [library], fileId: null, size: null, mtimeMs: null })).toBeInstanceOf(InPlaceFileGoneError);
  });

  it('keeps only the library folders inside an allowed root', () => {
    expect(allowedFolders(['/srv/photos/a', '/home/x/pics'], ['/srv/photos'])).toEqual(['/srv/photos/a']);
    expect(allowedFolders(['/srv/photos-2'], ['/srv/photos'])).toEqual([]);
  });

  it('reads sidecars without following links, and replaces a link rather than writing through it', async () => {
    const photo = path.join(library, 'a.jpg');
    fs.writeFileSync(path.join(outside, 'target.xmp'), 'outside');
    fs.symlinkSync(path.join(outside, 'target.xmp'), path.join(library, 'a.jpg.xmp'));
    const folder = await openFolder(photo, [library]);
    try {
      await expect(readSidecar(folder, 'a.jpg.xmp', 1024)).rejects.toBeInstanceOf(SidecarRefusedError);
      await placeSidecar(folder, 'a.jpg.xmp', Buffer.from('ours'), null);
      expect(fs.lstatSync(path.join(library, 'a.jpg.xmp')).isFile()).toBe(true);
      expect(fs.readFileSync(path.join(library, 'a.jpg.xmp'), 'utf8')).toBe('ours');
      expect(fs.readFileSync(path.join(outside, 'target.xmp'), 'utf8')).toBe('outside');
      expect((await readSidecar(folder, 'a.jpg.xmp', 1024)).data.toString()).toBe('ours');
      // no temp file left (they are hidden names)
      expect(fs.readdirSync(library).filter((name) => name.startsWith('.'))).toEqual([]);
    } finally {
      await folder.close();
    }
  });

  it('refuses a photo folder that leads out of the library, and works in the folder it opened', async () => {
    fs.symlinkSync(outside, path.join(library, 'away'));
    await expect(openFolder(path.join(library, 'away', 'x.jpg'), [library])).rejects.toThrow(/outside the library’s folders/);
    // the folder opened stays the one written to, even when its path is swapped for a link afterwards
    const moved = path.join(library, 'moving');
    fs.mkdirSync(moved);
    const folder = await openFolder(path.join(moved, 'x.jpg'), [library]);
    try {
      fs.renameSync(moved, path.join(library, 'moved-away'));
      fs.symlinkSync(outside, moved);
      await placeSidecar(folder, 'x.jpg.xmp', Buffer.from('ours'), null);
      expect(fs.existsSync(path.join(outside, 'x.jpg.xmp'))).toBe(false);
      expect(fs.readFileSync(path.join(library, 'moved-away', 'x.jpg.xmp'), 'utf8')).toBe('ours');
    } finally {
      await folder.close();
    }
  });
});
