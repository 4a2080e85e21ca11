// Copies of corpus photos without the people their metadata names: the corpus portraits carry MWG and Microsoft
// face regions (and people keywords) naming the Curies, which Shoebox reads; tests about people found by clustering
// and named by hand use these copies. Same pixels, same EXIF (orientation included), new bytes.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';

/** Writes `<dir>/<same name>` for each file, with its XMP and IPTC taken out; returns the copies' paths. */
export async function withoutNames(dir: string, files: readonly string[]): Promise<string[]> {
  const exiftool = new ExifTool({ maxProcs: 1 });
  try {
    const out: string[] = [];
    for (const file of files) {
      const copy = path.join(dir, path.basename(file));
      await copyFile(file, copy);
      await exiftool.write(copy, {}, { writeArgs: ['-overwrite_original', '-XMP:all=', '-IPTC:all='] });
      out.push(copy);
    }
    return out;
  } finally {
    await exiftool.end();
  }
}
