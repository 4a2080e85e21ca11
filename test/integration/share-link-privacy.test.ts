// What a share link gives away: no original downloads unless the owner asks; originals that visitors download lose
// where they were taken and the camera's serial numbers (checked with ExifTool) unless the owner keeps them, while
// the owner's own original and a file in a library in place stay byte for byte; and a visitor's upload of bytes the
// owner already has says only "already there", without the owner's photo id, adding nothing to the album.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

/** A photo with 16 GPS tags, IPTC/XMP city, state and country, and the body's and lens's serial numbers (in XMP). */
const GPS_PHOTO = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
const FIR = path.join(assets, 'albums/nature/silver_fir.jpg');
const FALCON = path.join(assets, 'albums/nature/prairie_falcon.jpg');
const PRIVATE_TAG = /gps|serialnumber|ownername|city|state|country|location/i;

describe('share links: downloads, metadata and visitors\' duplicates', () => {
  let server: TestServer;
  let exiftool: ExifTool;
  let scratch: string;
  let root: string;
  let gpsId: string;
  let firId: string;
  let falconId: string;
  const original = fs.readFileSync(GPS_PHOTO);
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  const api = (route: string, init: { method?: string; json?: unknown } = {}) => json(`${server.url}${route}`, init);
  const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());
  const makeLink = async (settings: object) => {
    const created = await api('/api/shared-links', { method: 'POST', json: settings });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; token: string; allowDownload: boolean; keepMetadata: boolean };
  };
  const visit = (token: string, route: string, headers: Record<string, string> = {}) => fetch(`${server.url}/api/s/${token}${route}`, { headers });
  /** The tags (group:name) that say where, or with which camera body or lens, a photo was taken. */
  const privateTags = async (data: Buffer): Promise<string[]> => {
    const file = path.join(scratch, `${sha(data)}.jpg`);
    fs.writeFileSync(file, data);
    const tags = await exiftool.readRaw(file, { readArgs: ['-a', '-G1', '-s'] });
    return Object.keys(tags).filter((key) => PRIVATE_TAG.test(key.split(':').pop()!) && !key.startsWith('System:') && !key.startsWith('ExifTool:'));
  };

  beforeAll(async () => {
    exiftool = new ExifTool({ maxProcs: 1 });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-visitor-files-'));
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-link-library-')));
    fs.mkdirSync(path.join(root, 'Trips'));
    // a copy with a title of its own: other bytes than the uploaded photo, the same location and serial numbers
    fs.copyFileSync(GPS_PHOTO, path.join(root, 'Trips', 'utah.jpg'));
    fs.chmodSync(path.join(root, 'Trips', 'utah.jpg'), 0o644);
    await exiftool.write(path.join(root, 'Trips', 'utah.jpg'), { Title: 'Utah' }, { writeArgs: ['-overwrite_original'] });
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'Trips', 'utah.jpg'), past, past);
    server = await startTestServer(withoutFacesOrText({ libraryRoots: [root], librarySettleMs: 300 }));
    const uploaded = await upload(server.url, [{ path: GPS_PHOTO }, { path: FIR }, { path: FALCON }]);
    [gpsId, firId, falconId] = uploaded.body.items.map((item: { id: string }) => item.id);
    await waitForTerminal(server.url, [gpsId, firId, falconId]);
    // the photo as the owner has it: its GPS, city and serial numbers are there (what the test looks for)
    expect(await privateTags(original)).toEqual(expect.arrayContaining(['GPS:GPSLatitude', 'XMP-aux:SerialNumber', 'XMP-aux:LensSerialNumber', 'IPTC:City']));
  }, 180_000);

  afterAll(async () => {
    await exiftool?.end();
    await server?.dispose();
    for (const dir of [scratch, root]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes links without downloads unless the owner switches them on', async () => {
    const link = await makeLink({ photoIds: [gpsId] });
    expect(link).toMatchObject({ allowDownload: false, keepMetadata: false });
    expect((await json(`${server.url}/api/s/${link.token}`, { anonymous: true })).body.allowDownload).toBe(false);
    const refused = await visit(link.token, `/photos/${gpsId}/original`);
    expect(refused.status).toBe(403);
    // the preview and thumbnail a visitor sees carry no location either
    for (const file of ['preview', 'thumbnail']) {
      const rendition = await visit(link.token, `/photos/${gpsId}/${file}`);
      expect(rendition.status).toBe(200);
      expect(await privateTags(await bytes(rendition))).toEqual([]);
    }
    const patched = await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { allowDownload: true } });
    expect(patched.body).toMatchObject({ allowDownload: true, keepMetadata: false });
    expect((await visit(link.token, `/photos/${gpsId}/original`)).status).toBe(200);
    // where it was taken is not in the visitor's list either, until the owner lets the link keep it
    const listed = async () => ((await json(`${server.url}/api/s/${link.token}/photos`, { anonymous: true })).body.items as { id: string; location: unknown }[]).find((item) => item.id === gpsId)!;
    expect((await listed()).location).toBeNull();
    expect((await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { keepMetadata: true } })).body.keepMetadata).toBe(true);
    const shown = (await listed()).location as { latitude: number; longitude: number };
    const owners = (await api(`/api/photos/${gpsId}`)).body.metadata;
    expect(shown).toEqual({ latitude: owners.latitude, longitude: owners.longitude });
    expect((await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { keepMetadata: false } })).status).toBe(200);
    expect((await listed()).location).toBeNull();
  });

  it("gives visitors the original without its location and serial numbers; the owner's stays whole", async () => {
    const link = await makeLink({ photoIds: [gpsId, firId], allowDownload: true });
    const response = await visit(link.token, `/photos/${gpsId}/original`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    const stripped = await bytes(response);
    expect(Number(response.headers.get('content-length'))).toBe(stripped.length);
    expect(await privateTags(stripped)).toEqual([]);
    // still the same picture, with the rest of its metadata (the caption)
    const kept = await exiftool.readRaw(path.join(scratch, `${sha(stripped)}.jpg`), { readArgs: ['-G1'] });
    expect(kept['XMP-dc:Description' as never]).toMatch(/Early winter scene/);
    expect(stripped.length).toBeLessThan(original.length);
    // a range of the stripped copy, and the whole again: the same bytes
    const part = await visit(link.token, `/photos/${gpsId}/original`, { range: 'bytes=100-1099' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${stripped.length}`);
    expect(Number(part.headers.get('content-length'))).toBe(1000);
    expect((await bytes(part)).equals(stripped.subarray(100, 1100))).toBe(true);
    expect(sha(await bytes(await visit(link.token, `/photos/${gpsId}/original`)))).toBe(sha(stripped));
    // the owner's original, and the stored file, are untouched
    const own = await fetch(`${server.url}/api/photos/${gpsId}/original`, { headers: { 'x-api-key': server.apiKey } });
    expect((await bytes(own)).equals(original)).toBe(true);
    const again = await fetch(`${server.url}/api/photos/${gpsId}/original`, { headers: { 'x-api-key': server.apiKey } });
    expect(sha(await bytes(again))).toBe(sha(original));
    // nothing left behind in the server's scratch folder
    const leftovers = fs.readdirSync(path.join(server.dataDir), { recursive: true, withFileTypes: true }).filter((entry) => /exiftool_tmp|_original$/.test(entry.name));
    expect(leftovers).toEqual([]);
    expect(fs.readdirSync(server.lib.scratch.dir)).toEqual([]);
  });

  it('bounds the copies made at once: past them visitors hear 429, every copy sent is stripped, none is left', async () => {
    const link = await makeLink({ photoIds: [gpsId], allowDownload: true });
    const answers = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const response = await visit(link.token, `/photos/${gpsId}/original`);
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await bytes(response) };
      }),
    );
    const sent = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(sent.length + refused.length).toBe(30);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.retryAfter).toBe('5');
    expect(JSON.parse(refused[0]!.body.toString()).message).toMatch(/too many downloads/);
    expect(new Set(sent.map((answer) => sha(answer.body))).size).toBe(1);
    expect(await privateTags(sent[0]!.body)).toEqual([]);
    expect(fs.readdirSync(server.lib.scratch.dir)).toEqual([]);
  });

  it('gives visitors the whole original when the owner keeps its metadata', async () => {
    const link = await makeLink({ photoIds: [gpsId], allowDownload: true, keepMetadata: true });
    expect(link.keepMetadata).toBe(true);
    const whole = await bytes(await visit(link.token, `/photos/${gpsId}/original`));
    expect(whole.equals(original)).toBe(true);
    expect(await privateTags(whole)).toEqual(expect.arrayContaining(['GPS:GPSLatitude', 'XMP-aux:SerialNumber']));
    const patched = await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { keepMetadata: false } });
    expect(patched.body.keepMetadata).toBe(false);
    expect(await privateTags(await bytes(await visit(link.token, `/photos/${gpsId}/original`)))).toEqual([]);
  });

  it('strips a file of a library in place for visitors and leaves the file in its folder alone', async () => {
    const inFolder = fs.readFileSync(path.join(root, 'Trips', 'utah.jpg'));
    expect(await privateTags(inFolder)).toEqual(expect.arrayContaining(['GPS:GPSLatitude', 'XMP-aux:SerialNumber']));
    const before = fs.statSync(path.join(root, 'Trips', 'utah.jpg'));
    const created = await api('/api/libraries', { method: 'POST', json: { name: 'Trips', paths: [path.join(root, 'Trips')], watch: 'off' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    let inPlaceId: string | undefined;
    for (const deadline = Date.now() + 60_000; !inPlaceId && Date.now() < deadline; ) {
      const found = (await api(`/api/photos?limit=100`)).body.items.find((item: { filename: string }) => item.filename === 'utah.jpg');
      if (found) inPlaceId = found.id;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(inPlaceId).toBeDefined();
    await waitForTerminal(server.url, [inPlaceId!]);
    const link = await makeLink({ photoIds: [inPlaceId], allowDownload: true });
    const response = await visit(link.token, `/photos/${inPlaceId}/original`);
    expect(response.status).toBe(200);
    expect(await privateTags(await bytes(response))).toEqual([]);
    const after = fs.statSync(path.join(root, 'Trips', 'utah.jpg'));
    expect(fs.readFileSync(path.join(root, 'Trips', 'utah.jpg')).equals(inFolder)).toBe(true);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
    expect(fs.readdirSync(path.join(root, 'Trips'))).toEqual(['utah.jpg']);
  });

  it('tells a visitor who uploads a photo the owner has only that it is already there, and adds nothing', async () => {
    const albumId = (await api('/api/albums', { method: 'POST', json: { name: 'Visitors welcome', photoIds: [falconId] } })).body.id;
    const link = await makeLink({ albumId, allowUpload: true });
    const send = async (files: { file: string; name?: string; data?: Buffer }[]) => {
      const form = new FormData();
      for (const f of files) form.append('file', new Blob([new Uint8Array(f.data ?? fs.readFileSync(f.file))]), f.name ?? path.basename(f.file));
      const response = await fetch(`${server.url}/api/s/${link.token}/photos`, { method: 'POST', body: form, headers: { origin: server.url } });
      return { status: response.status, body: (await response.json()) as { items: Record<string, unknown>[] } };
    };
    // a private photo of the owner's (not in the album), with a sidecar, and a photo already in the album
    const sidecar = Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag><rdf:li>visitor-was-here</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>');
    const answer = await send([{ file: FIR }, { file: FIR, name: 'silver_fir.jpg.xmp', data: sidecar }, { file: FALCON }]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(JSON.stringify(answer.body)).not.toContain(firId);
    expect(JSON.stringify(answer.body)).not.toContain(falconId);
    const [fir, firSidecar, falcon] = answer.body.items;
    expect(fir).toEqual({ filename: 'silver_fir.jpg', duplicate: true, message: 'already there' });
    expect(falcon).toEqual({ filename: 'prairie_falcon.jpg', duplicate: true, message: 'already there' });
    expect(firSidecar).toMatchObject({ filename: 'silver_fir.jpg.xmp', statusCode: 400 });
    // the album did not gain the private photo, the link shows what it showed, the photo kept no visitor's sidecar
    const album = (await api(`/api/albums/${albumId}`)).body;
    expect(album.photos.items.map((p: { id: string }) => p.id)).toEqual([falconId]);
    const shown = (await json(`${server.url}/api/s/${link.token}/photos`, { anonymous: true })).body.items.map((p: { id: string }) => p.id);
    expect(shown).toEqual([falconId]);
    expect((await api(`/api/photos/${firId}`)).body.hasSidecar).toBe(false);
    // a new photo from the visitor is still added to the album
    const fresh = await send([{ file: path.join(assets, 'albums/nature/el_torcal_rocks.jpg') }]);
    expect(fresh.status).toBe(201);
    expect(fresh.body.items[0]).toMatchObject({ filename: 'el_torcal_rocks.jpg', duplicate: false });
    expect((await api(`/api/albums/${albumId}`)).body.photoCount).toBe(2);
  });
});
