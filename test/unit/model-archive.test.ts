// A model installed from a zip of its folder (a machine that cannot reach the hub): the model's files are taken
// out of the archive wherever its folder lies in it, nothing else; a hostile or wrong archive is refused with the
// reason and leaves nothing behind.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractModelArchive, modelRoot } from '../../src/ml/model-archive.js';
import { filesFor, getHubModelSpec, ModelInstallError } from '../../src/ml/model-catalogue.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { makeTempDir } from '../helpers/temp.js';
import { deflatedZip, folderEntries, makeZip, type ZipEntry } from '../helpers/zip.js';

const spec = getHubModelSpec('clip-vit-b32');
let clipDir: string;
const temps: string[] = [];

beforeAll(async () => {
  ({ clipDir } = await ensureFixtureModels());
});
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function temp(): Promise<string> {
  const dir = await makeTempDir('shoebox-archive-');
  temps.push(dir);
  return dir;
}

/** Writes the entries as a zip and extracts it; the files taken and where they went. */
async function extract(entries: ZipEntry[] | Buffer) {
  const dir = await temp();
  const archive = path.join(dir, 'model.zip');
  await writeFile(archive, Buffer.isBuffer(entries) ? entries : await makeZip(entries));
  const target = path.join(dir, 'out');
  return { taken: await extractModelArchive(archive, spec.name, target), target };
}

const refusal = async (entries: ZipEntry[] | Buffer) => {
  const error = await extract(entries).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelInstallError);
  return (error as Error).message;
};

// Each case zips and unzips the fixture CLIP model (~36 s for the file on a quiet machine, 71 s beside other tests).
describe('a model from a zip archive', { timeout: 150_000 }, () => {
  it('takes the model files out of a folder inside the archive, and nothing else', async () => {
    const entries = [
      ...(await folderEntries(clipDir, 'clip-vit-base-patch32/')),
      { name: 'clip-vit-base-patch32/README.md', data: Buffer.from('# a model card') },
      { name: 'clip-vit-base-patch32/.git/config', data: Buffer.from('[core]') },
      // a copy of a model file deeper down is not the model's folder
      { name: 'clip-vit-base-patch32/examples/old/config.json', data: Buffer.from('{}') },
    ];
    const { taken, target } = await extract(entries);
    // the fixture has both variants of the weights: both are taken
    expect(taken.sort()).toEqual([...new Set([...filesFor(spec, 'q8'), ...filesFor(spec, 'fp32')])].sort());
    for (const file of taken) expect(await readFile(path.join(target, file))).toEqual(await readFile(path.join(clipDir, file)));
    expect(existsSync(path.join(target, 'README.md'))).toBe(false);
    expect(existsSync(path.join(target, '.git'))).toBe(false);
  });

  it('takes them from the top of the archive too', async () => {
    const { taken } = await extract(await folderEntries(clipDir));
    expect(taken).toContain('onnx/vision_model_quantized.onnx');
  });

  it('finds the shallowest folder that holds the first required file', () => {
    expect(modelRoot(['a/b/config.json', 'a/config.json', 'x.txt'], spec)).toBe('a/');
    expect(modelRoot(['config.json'], spec)).toBe('');
    expect(modelRoot(['notconfig.json', 'x/myconfig.json'], spec)).toBeNull();
  });

  it('refuses what is not a zip of the model folder, saying what is wrong', async () => {
    expect(await refusal(Buffer.from('not a zip at all'))).toMatch(/not a zip archive/);
    expect(await refusal([{ name: 'photo.jpg', data: Buffer.from('x') }])).toMatch(
      /holds no config\.json: it is not a zip of the Xenova\/clip-vit-base-patch32 folder/,
    );
    const noTokenizer = (await folderEntries(clipDir)).filter((e) => e.name !== 'tokenizer.json');
    expect(await refusal(noTokenizer)).toMatch(/lacks tokenizer\.json/);
    const noText = (await folderEntries(clipDir)).filter((e) => !e.name.startsWith('onnx/text_model'));
    expect(await refusal(noText)).toMatch(/no complete set of ONNX weights/);
  });

  it('refuses a link, a name that climbs out of the folder, an entry whose size is a lie and entries that share their data', async () => {
    const model = await folderEntries(clipDir);
    const linked = model.map((e) => (e.name === 'tokenizer.json' ? { ...e, data: Buffer.from('/etc/passwd'), mode: 0o120777 } : e));
    expect(await refusal(linked)).toMatch(/tokenizer\.json in the archive is a link/);

    // an entry renamed to climb out of the folder in the local header and the central directory (same length)
    const climbing = await makeZip([...model, { name: 'zz/outside.txt', data: Buffer.from('{}') }]);
    const patched = Buffer.from(climbing.toString('latin1').replaceAll('zz/outside.txt', '../outside.txt'), 'latin1');
    expect(await refusal(patched)).toMatch(/damaged: .*invalid relative path/);

    // the central directory says the config is 10 bytes shorter than it is
    const zip = await makeZip(model);
    const at = zip.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
    let offset = at;
    for (;;) {
      const nameLength = zip.readUInt16LE(offset + 28);
      const name = zip.toString('latin1', offset + 46, offset + 46 + nameLength);
      if (name === 'config.json') break;
      offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    }
    zip.writeUInt32LE(zip.readUInt32LE(offset + 24) - 10, offset + 24);
    expect(await refusal(zip)).toMatch(/config\.json in the archive cannot be read/);

    // the model's files all one compressed stream (each inflating in full): refused before any is read
    const shared = deflatedZip(filesFor(spec, 'q8'), Buffer.alloc(1024 * 1024), { shared: true });
    expect(await refusal(shared)).toMatch(/^the archive is refused: its entries overlap .*: a zip bomb$/);
  });

  it('writes nothing for an archive refused before any file is taken out', async () => {
    const dir = await temp();
    const archive = path.join(dir, 'a.zip');
    await writeFile(archive, await makeZip([{ name: 'photo.jpg', data: Buffer.from('x') }]));
    await expect(extractModelArchive(archive, spec.name, path.join(dir, 'out'))).rejects.toThrow(ModelInstallError);
    expect(await readdir(dir)).toEqual(['a.zip']);
  });
});
