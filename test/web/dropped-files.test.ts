// Folders dropped on the page (web/src/components/droppedFiles.ts): walked recursively through the File System
// entries the browser gives, in the batches `readEntries` answers with, leaving out system files. Browsers only
// make such entries for a real drag from the desktop, so they are stood in for here.
import { describe, expect, it } from 'vitest';
import { droppedFiles } from '../../web/src/components/droppedFiles.js';

type Entry = FileSystemEntry;

function fileEntry(fullPath: string): Entry {
  const name = fullPath.split('/').pop()!;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (resolve: (file: File) => void) => resolve(new File([new Uint8Array(4)], name)),
  } as unknown as Entry;
}

/** A folder whose reader answers two entries at a time, then an empty batch, as Chromium's does in hundreds. */
function folderEntry(fullPath: string, children: Entry[]): Entry {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop()!,
    fullPath,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (resolve: (batch: Entry[]) => void) => {
          const batch = children.slice(at, at + 2);
          at += batch.length;
          resolve(batch);
        },
      };
    },
  } as unknown as Entry;
}

const item = (entry: Entry | null, file: File | null = null) => ({ kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => file });

describe('dropped files', () => {
  it('walks dropped folders to the bottom, keeps each file’s folder, leaves out hidden and system files', async () => {
    const holiday = folderEntry('/Holiday', [
      fileEntry('/Holiday/IMG_1.jpg'),
      fileEntry('/Holiday/IMG_1.jpg.xmp'),
      fileEntry('/Holiday/.DS_Store'),
      folderEntry('/Holiday/Day 2', [fileEntry('/Holiday/Day 2/IMG_2.heic'), fileEntry('/Holiday/Day 2/Thumbs.db'), fileEntry('/Holiday/Day 2/IMG_3.jpg')]),
      folderEntry('/Holiday/.thumbnails', [fileEntry('/Holiday/.thumbnails/x.jpg')]),
    ]);
    const loose = new File([new Uint8Array(2)], 'loose.png');
    const data = { items: [item(holiday), item(fileEntry('/loose.png'), loose)], files: [] };
    const files = await droppedFiles(data as unknown as DataTransfer);
    expect(files.map((f) => `${f.folder ?? ''}|${f.file.name}`)).toEqual([
      '|loose.png',
      'Holiday|IMG_1.jpg',
      'Holiday|IMG_1.jpg.xmp',
      'Holiday/Day 2|IMG_2.heic',
      'Holiday/Day 2|IMG_3.jpg',
    ]);
  });

  it('takes the files themselves when the browser gives no entries (a DataTransfer made by a page)', async () => {
    const a = new File([new Uint8Array(1)], 'a.jpg');
    const fromItems = await droppedFiles({ items: [item(null, a)], files: [] } as unknown as DataTransfer);
    expect(fromItems.map((f) => f.file.name)).toEqual(['a.jpg']);
    const fromFiles = await droppedFiles({ items: [], files: [a] } as unknown as DataTransfer);
    expect(fromFiles.map((f) => [f.file.name, f.folder ?? null])).toEqual([['a.jpg', null]]);
  });
});
