// Faces, objects and OCR turned off by a setting (SHOEBOX_FACES, SHOEBOX_OBJECTS, SHOEBOX_OCR_ENGINE=off): new photos skip those steps
// with the reason and complete; the models list says so; turned on again, the photos skipped so are looked at; turned
// off again, what was found stays and nothing is redone. Real server, real models, one library restarted three times.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

const portrait = path.join(assets, 'metadata/faces/portrait.jpg');
const craftBeer = path.join(assets, 'albums/text/craft-beer.jpg');
const OFF = { faces: 'off', objects: 'off', ocrEngine: 'off' } as const;

describe('faces, objects and OCR turned off, then on, then off again', () => {
  const dataDir = tempDir();
  let server: TestServer | undefined;
  const ids: Record<string, string> = {};

  const start = async (ml: { faces?: 'on' | 'off'; objects?: 'on' | 'off'; ocrEngine?: 'paddle' | 'off' }) => {
    await server?.close(); // the data folder stays for the next start
    server = await startTestServer({ dataDir, ml });
    return server;
  };
  const detail = async (name: string) => (await json(`${server!.url}/api/photos/${ids[name]}`)).body;
  const add = async (files: { path: string; name: string }[]) => {
    const response = await upload(server!.url, files);
    expect(response.status).toBe(201);
    for (const item of response.body.items as { filename: string; id: string }[]) ids[item.filename] = item.id;
    await waitForTerminal(server!.url, Object.values(ids), 300_000);
  };

  afterAll(async () => server?.dispose());

  it('skips the steps with the reason, completes, and lists the models as turned off', async () => {
    await start(OFF);
    await add([
      { path: portrait, name: 'portrait.jpg' },
      { path: craftBeer, name: 'craft-beer.jpg' },
    ]);
    for (const name of ['portrait.jpg', 'craft-beer.jpg']) {
      const photo = await detail(name);
      expect(photo.state, JSON.stringify(photo.steps)).toBe('completed');
      expect(photo.steps.faces).toMatchObject({ status: 'skipped', error: 'face recognition is turned off (SHOEBOX_FACES=off)' });
      expect(photo.steps.ocr).toMatchObject({ status: 'skipped', error: 'reading text is turned off (SHOEBOX_OCR_ENGINE=off)' });
      expect(photo.steps.objects).toMatchObject({ status: 'skipped', error: 'object detection is turned off (SHOEBOX_OBJECTS=off)' });
      expect(photo.objects).toEqual([]);
      expect(photo.steps.hashes.status).toBe('done');
      expect(photo.faces).toEqual([]);
      expect(photo.ocr).toBeNull();
    }
    const models = (await json(`${server!.url}/api/models`)).body.items as { kind: string; inUse: boolean; turnedOff: string | null }[];
    const of = (kind: string) => models.filter((m) => m.kind === kind);
    expect(of('faces').length).toBeGreaterThan(0);
    expect(of('faces').every((m) => !m.inUse && /SHOEBOX_FACES=off/.test(m.turnedOff ?? ''))).toBe(true);
    expect(of('ocr').every((m) => !m.inUse && /SHOEBOX_OCR_ENGINE=off/.test(m.turnedOff ?? ''))).toBe(true);
    expect(of('clip').every((m) => m.turnedOff === null)).toBe(true);
  }, 360_000);

  it('turned on again, looks at the photos it skipped: both Curies found, the beer label read', async () => {
    await start({});
    await waitForTerminal(server!.url, Object.values(ids), 300_000);
    const portraitPhoto = await detail('portrait.jpg');
    expect(portraitPhoto.steps.faces.status).toBe('done');
    expect(portraitPhoto.faces).toHaveLength(2);
    expect(portraitPhoto.steps.objects.status).toBe('done');
    expect(portraitPhoto.objects.filter((o: { label: string }) => o.label === 'person')).toHaveLength(2);
    const beer = await detail('craft-beer.jpg');
    expect(beer.steps.ocr.status).toBe('done');
    expect(beer.ocr?.text ?? '').toMatch(/\S{3,}/);
    const models = (await json(`${server!.url}/api/models`)).body.items as { kind: string; turnedOff: string | null }[];
    expect(models.every((m) => m.turnedOff === null)).toBe(true);
  }, 360_000);

  it('turned off again, keeps what was found and redoes nothing; only a new photo is skipped', async () => {
    const before = await detail('portrait.jpg');
    const text = (await detail('craft-beer.jpg')).ocr?.text;
    await start(OFF);
    const after = await detail('portrait.jpg');
    expect(after.state).toBe('completed');
    expect(after.steps.faces).toMatchObject({ status: 'done', durationMs: before.steps.faces.durationMs });
    expect(after.faces.map((f: { id: string }) => f.id).sort()).toEqual(before.faces.map((f: { id: string }) => f.id).sort());
    expect((await detail('craft-beer.jpg')).ocr?.text).toBe(text);
    const rotated = path.join(assets, 'metadata/faces/portrait-orientation-6.jpg');
    await add([{ path: rotated, name: 'rotated.jpg' }]);
    const added = await detail('rotated.jpg');
    expect(added.steps.faces.status).toBe('skipped');
    expect(added.faces).toEqual([]);
    expect(added.steps.objects.status).toBe('skipped');
    expect((await json(`${server!.url}/api/reprocess`, { method: 'POST', json: { step: 'objects' } })).body.message).toMatch(/SHOEBOX_OBJECTS=off.*turn it on/);
    // running the step again would only skip it again: refused, saying why; a photo's retry leaves it skipped
    const again = await json(`${server!.url}/api/reprocess`, { method: 'POST', json: { step: 'faces' } });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/SHOEBOX_FACES=off.*turn it on/);
    expect((await json(`${server!.url}/api/reprocess`, { method: 'POST', json: { step: 'hashes' } })).status).toBe(202);
    const retry = await json(`${server!.url}/api/photos/${ids['rotated.jpg']}/retry`, { method: 'POST' });
    expect(retry.status).toBe(202);
    expect(retry.body.reset).toContain('embeddings'); // no CLIP model here: skipped, and tried again
    expect(retry.body.reset).not.toContain('faces');
    expect(retry.body.reset).not.toContain('ocr');
    expect(retry.body.reset).not.toContain('objects');
  }, 360_000);
});
