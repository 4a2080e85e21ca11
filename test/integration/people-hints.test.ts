// People a file names without saying where they are (XMP PersonInImage, as Lightroom and Photo Mechanic write it; a
// Google Takeout sidecar's people[] arrives the same way): the corpus portrait of Marie and Pierre Curie, its face
// regions taken away, naming both, and a crop of Marie alone naming her. Two names for two faces are never guessed:
// they stay hints on the photo, found by search; the one name on the one face is given; once Marie is known, Pierre
// follows on the portrait by elimination.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

interface Detail {
  faces: { personName: string | null; assignedBy: string | null; box: { x: number } }[];
  peopleHints: string[];
}

const PORTRAIT = path.join(assets, 'metadata/faces/portrait.jpg');

let tmp: string;
let server: TestServer;
const files = { curies: '', marie: '' };

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-hints-'));
  const exiftool = new ExifTool({ maxProcs: 1 });
  try {
    files.curies = path.join(tmp, 'curies.jpg');
    await copyFile(PORTRAIT, files.curies);
    await exiftool.write(files.curies, { PersonInImage: ['Marie Curie', 'Pierre Curie'] } as never, {
      writeArgs: ['-overwrite_original', '-XMP-mwg-rs:all=', '-XMP-MP:all=', '-IPTC:all='],
    });
    // Marie is at 31–42 % of the width, Pierre at 64–74 %: the left 56 % shows her alone
    files.marie = path.join(tmp, 'marie.jpg');
    await sharp(PORTRAIT).extract({ left: 0, top: 0, width: 470, height: 700 }).jpeg({ quality: 92 }).toFile(files.marie);
    await exiftool.write(files.marie, { PersonInImage: ['Marie Curie'] } as never, { writeArgs: ['-overwrite_original'] });
  } finally {
    await exiftool.end();
  }
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

async function importOne(file: string): Promise<string> {
  const id = (await upload(server.url, [{ path: file }])).body.items[0].id as string;
  await waitForTerminal(server.url, [id], 180_000);
  return id;
}

async function detail(id: string): Promise<Detail> {
  const body = (await json(`${server.url}/api/photos/${id}`)).body as Detail;
  return { ...body, faces: [...body.faces].sort((a, b) => a.box.x - b.box.x) };
}

describe('people a file names without a place', () => {
  let curies: string;

  it('keeps two names for two faces as hints, guessing neither, and finds the photo by them', async () => {
    curies = await importOne(files.curies);
    const photo = await detail(curies);
    expect(photo.faces.map((f) => f.personName)).toEqual([null, null]);
    expect(photo.peopleHints).toEqual(['Marie Curie', 'Pierre Curie']);
    const found = (await json(`${server.url}/api/search?q=${encodeURIComponent('Pierre Curie')}&mode=keyword`)).body.items as { photo: { id: string } }[];
    expect(found.map((hit) => hit.photo.id)).toEqual([curies]);
  });

  it('shows the names on the photo page, and offers them first when a face is named', async () => {
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(await signedInContext(browser, server, { viewport: { width: 390, height: 844 } }));
      await page.goto(`${server.url}/photos/${curies}`);
      await poll(() => page.getByTestId('people-hints').textContent()).toBe(
        'Named in the file, not placed on a face: Marie Curie, Pierre Curie — offered first when you name a face.',
      );
      await page.getByTestId('face-edit').first().click();
      const dialog = page.getByTestId('face-dialog');
      await poll(() => dialog.getByTestId('face-suggestion').allTextContents()).toEqual([
        '+New person “Marie Curie”named in the file',
        '+New person “Pierre Curie”named in the file',
      ]);
      // typing narrows them as it narrows the people; what was typed stays a name of its own
      await dialog.getByTestId('face-name-input').fill('pier');
      await poll(() => dialog.getByTestId('face-suggestion').allTextContents()).toEqual(['+New person “Pierre Curie”named in the file', '+New person “pier”']);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('puts the one name on the one face, then the other name on the portrait’s face left over', async () => {
    const marie = await importOne(files.marie);
    const alone = await detail(marie);
    expect(alone.faces.map((f) => [f.personName, f.assignedBy])).toEqual([['Marie Curie', 'user']]);
    expect(alone.peopleHints).toEqual([]);
    // Marie recognised on the portrait from her named face; Pierre the only name and face left
    const photo = await detail(curies);
    expect(photo.faces.map((f) => f.personName)).toEqual(['Marie Curie', 'Pierre Curie']);
    expect(photo.faces[1]!.assignedBy).toBe('user');
    expect(photo.peopleHints).toEqual([]);
    const people = (await json(`${server.url}/api/people?named=true`)).body.items as { name: string; faceCount: number }[];
    expect(people.map((p) => [p.name, p.faceCount]).sort()).toEqual([
      ['Marie Curie', 2],
      ['Pierre Curie', 1],
    ]);
  });
});
