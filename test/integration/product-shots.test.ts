// Product-shot sets and the catalogue against a loopback image server (OpenAI Images API) and caption endpoint:
// the product's own pixels survive in every shot of a cut-out, the dimensions are drawn, each product gets an album
// downloadable as a ZIP with its manifest, the catalogue fields come from the caption endpoint, edits by hand are
// kept when the step runs again, and the CSV parses back with its quoting and unicode.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { productCanvas } from '../../src/library/create/product-images.js';
import { PLAIN_CAPTION, startChatEndpoint } from '../helpers/caption-endpoint.js';
import { runCli } from '../helpers/cli.js';
import { openaiProvider, startImageServer, type ImageServer } from '../helpers/image-server.js';
import { assets, authFetch, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const CATALOGUE_ANSWER = {
  name: 'Boucle d’oreille « Perle », argent',
  description: 'A drop earring with a freshwater pearl, "hand-finished",\nready to wear.',
  attributes: [
    { name: 'Material', value: 'sterling silver' },
    { name: 'stones', value: 'pearl; 6 mm' },
  ],
  mainColour: 'silver',
  qualityGrade: 'A',
  qualityReason: 'Sharp and evenly lit on a clean background.',
};

async function unzip(data: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file!))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream!.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream!.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}

describe('product shots and the catalogue', () => {
  let images: ImageServer;
  let chat: { url: string; close(): Promise<void> };
  let catalogueRequests = 0;
  let server: TestServer;
  let base: string;
  let cutout: Buffer;

  beforeAll(async () => {
    images = await startImageServer();
    chat = await startChatEndpoint((system) => {
      if (!system.includes('product catalogue entries')) return JSON.stringify(PLAIN_CAPTION);
      catalogueRequests++;
      // the first catalogue answer of all is unusable: the step asks again with the reason
      return catalogueRequests === 1 ? '{"name": "", "description": "x"}' : JSON.stringify(CATALOGUE_ANSWER);
    });
    server = await startTestServer({
      ...withoutFacesOrText({
        ml: { caption: { url: chat.url, model: 'llava:7b', timeoutMs: 10_000, maxAttempts: 3 } },
        images: {
          providers: {
            default: openaiProvider(images, { model: 'gpt-image-1' }),
          },
          concurrency: 2,
          imagesPerDay: 0,
        },
      }),
      creationTools: true,
    });
    base = server.url;
    // a cut-out: a round piece of a real photo on a transparent background, as a shop's background remover makes
    const photo = await sharp(path.join(assets, 'albums/nature/cyclamen_persicum.jpg')).resize(480, 480, { fit: 'cover' }).removeAlpha().raw().toBuffer();
    const rgba = Buffer.alloc(480 * 480 * 4);
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 480; x++) {
        const i = y * 480 + x;
        const inside = (x - 240) ** 2 + (y - 240) ** 2 < 150 ** 2;
        rgba[i * 4] = photo[i * 3]!;
        rgba[i * 4 + 1] = photo[i * 3 + 1]!;
        rgba[i * 4 + 2] = photo[i * 3 + 2]!;
        rgba[i * 4 + 3] = inside ? 255 : 0;
      }
    }
    cutout = await sharp(rgba, { raw: { width: 480, height: 480, channels: 4 } })
      .png()
      .toBuffer();
  });

  afterAll(async () => {
    await server?.dispose();
    await images?.close();
    await chat?.close();
  });

  it('makes each product a set of shots in its own album, the cut-out kept pixel for pixel, the dimensions drawn', async () => {
    const types = await json(`${base}/api/product-types`);
    expect(types.body.items.map((t: { name: string }) => t.name)).toEqual(['bracelet', 'earring', 'necklace', 'pendant', 'ring', 'watch']);
    const uploaded = await upload(base, [{ data: cutout, name: 'pearl-earring.png' }, { path: path.join(assets, 'albums/nature/wood_anemones.jpg') }]);
    const [cut, plain] = uploaded.body.items.map((item: { id: string }) => item.id) as [string, string];
    await waitForTerminal(base, [cut, plain]);

    const started = await json(`${base}/api/product-shots`, {
      method: 'POST',
      json: { photoIds: [cut, plain], productType: 'earring', shots: [1, 3], height: 32, width: 18.5, size: '512x512' },
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'product-shots', requested: 4 });
    let job = started.body;
    for (const deadline = Date.now() + 60_000; ['queued', 'running'].includes(job.state) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await json(`${base}/api/generate/jobs/${job.id}`)).body;
    }
    expect(job).toMatchObject({ state: 'completed', made: 4, failed: 0 });
    expect(Object.keys(job.albums).sort()).toEqual([cut, plain].sort());

    // edits of the product photo, masked where it is a cut-out, with the earring's shot prompts
    const sent = images.requests.filter((r) => r.api === 'edits');
    expect(sent).toHaveLength(4);
    expect(sent.every((r) => r.prompt.includes('an earring') && r.size === '512x512' && r.image?.width === 512)).toBe(true);
    expect(sent.filter((r) => r.mask)).toHaveLength(2);
    expect(sent.some((r) => r.prompt.startsWith('Professional e-commerce product photo of an earring on a pure white'))).toBe(true);

    const album = (await json(`${base}/api/albums/${job.albums[cut]}`)).body;
    expect(album.name).toBe('pearl-earring — product shots');
    expect(album.coverPhotoId).toBe(cut);
    const shotIds = album.photos.items.map((p: { id: string }) => p.id).filter((id: string) => id !== cut);
    expect(album.photoCount).toBe(3);
    const shots = await Promise.all(shotIds.map(async (id: string) => (await json(`${base}/api/photos/${id}`)).body));
    const byShot = Object.fromEntries(shots.map((photo) => [photo.provenance.shot, photo]));
    expect(Object.keys(byShot).sort()).toEqual(['dimensions', 'white']);
    expect(byShot.white.provenance).toMatchObject({
      mode: 'edit',
      sourcePhotoId: cut,
      productPhotoId: cut,
      productType: 'earring',
      composited: true,
    });

    // the product's own pixels, where they were on the canvas the provider edited
    const canvas = await productCanvas(cutout, { width: 512, height: 512 });
    const original = Buffer.from(await (await authFetch(`${base}/api/photos/${byShot.white.id}/original`)).arrayBuffer());
    const stored = await sharp(original).removeAlpha().raw().toBuffer();
    const product = await sharp(canvas.cutout!.png).raw().toBuffer({ resolveWithObject: true });
    let compared = 0;
    for (let y = 0; y < product.info.height; y += 7) {
      for (let x = 0; x < product.info.width; x += 7) {
        const p = (y * product.info.width + x) * 4;
        if (product.data[p + 3] !== 255) continue;
        const s = ((y + canvas.cutout!.top) * 512 + x + canvas.cutout!.left) * 3;
        expect([stored[s], stored[s + 1], stored[s + 2]]).toEqual([product.data[p], product.data[p + 1], product.data[p + 2]]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);

    // the dimensions shot: measurement lines in the margin right of the product, where the white shot has none
    const dark = async (id: string) => {
      const pixels = await sharp(Buffer.from(await (await authFetch(`${base}/api/photos/${id}/original`)).arrayBuffer()))
        .removeAlpha()
        .raw()
        .toBuffer();
      const x = canvas.box.left + canvas.box.width + Math.round(512 * 0.03);
      let count = 0;
      for (let y = canvas.box.top; y < canvas.box.top + canvas.box.height; y++) {
        const i = (y * 512 + x) * 3;
        // the annotation's colour, #1f2937
        if (Math.abs(pixels[i]! - 31) < 8 && Math.abs(pixels[i + 1]! - 41) < 8 && Math.abs(pixels[i + 2]! - 55) < 8) count++;
      }
      return count;
    };
    expect(await dark(byShot.dimensions.id)).toBeGreaterThan(canvas.box.height * 0.8);
    expect(await dark(byShot.white.id)).toBeLessThan(canvas.box.height * 0.2);

    // the plain photo's shots are the provider's image as it came (no cut-out to lay back)
    const plainAlbum = (await json(`${base}/api/albums/${job.albums[plain]}`)).body;
    const plainShot = plainAlbum.photos.items.find((p: { id: string }) => p.id !== plain);
    expect((await json(`${base}/api/photos/${plainShot.id}`)).body.provenance.composited).toBe(false);

    // ZIP of the set: every original, byte for byte, and a manifest of shot types
    const zipResponse = await authFetch(`${base}/api/albums/${job.albums[cut]}/zip`);
    expect(zipResponse.status).toBe(200);
    expect(zipResponse.headers.get('content-type')).toBe('application/zip');
    expect(zipResponse.headers.get('content-disposition')).toContain('filename*=UTF-8');
    const files = await unzip(Buffer.from(await zipResponse.arrayBuffer()));
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.files.map((f: { shot: string }) => f.shot).sort()).toEqual(['dimensions', 'product', 'white']);
    for (const entry of manifest.files) {
      const bytes = files.get(entry.file)!;
      const detail = (await json(`${base}/api/photos/${entry.photoId}`)).body;
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(detail.sha256);
    }
    expect(parse(files.get('manifest.csv')!, { columns: true })).toHaveLength(3);
    expect((await authFetch(`${base}/api/albums/00000000-0000-4000-8000-000000000000/zip`)).status).toBe(404);

    // the catalogue: fields from the caption endpoint (asked again after an unusable answer), the palette's colour
    const products = await json(`${base}/api/products`);
    expect(products.body.total).toBe(2);
    const entry = (await json(`${base}/api/products/${cut}`)).body;
    expect(entry).toMatchObject({
      productType: 'earring',
      name: CATALOGUE_ANSWER.name,
      attributes: { material: 'sterling silver', stones: 'pearl; 6 mm' },
      mainColour: 'silver',
      qualityGrade: 'A',
      fieldsSource: 'provider',
      heightMm: 32,
      widthMm: 18.5,
    });
    expect(entry.mainColourHex).toMatch(/^#[0-9a-f]{6}$/);
    expect(entry.shots.map((s: { shot: string }) => s.shot)).toEqual(['white', 'dimensions']);
    // each shot says whether its thumbnail is made yet (the catalogue shows a placeholder until it is)
    await waitForTerminal(
      base,
      entry.shots.map((s: { photoId: string }) => s.photoId),
    );
    const processed = (await json(`${base}/api/products/${cut}`)).body;
    expect(processed.shots.map((s: { hasThumbnail: boolean; state: string }) => [s.hasThumbnail, s.state])).toEqual([
      [true, 'completed'],
      [true, 'completed'],
    ]);
    expect(catalogueRequests).toBeGreaterThanOrEqual(3);
  });

  it('keeps fields edited by hand when the catalogue step runs again; exports CSV and JSON that parse back', async () => {
    const { items } = (await json(`${base}/api/products`)).body;
    const cut = items.find((p: { filename: string }) => p.filename === 'pearl-earring.png');
    const edited = await json(`${base}/api/products/${cut.photoId}`, {
      method: 'PATCH',
      json: { description: 'Édition « main », 100 % argent;\r\nligne 2', qualityGrade: 'B' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.editedFields.sort()).toEqual(['description', 'qualityGrade']);
    const before = catalogueRequests;
    expect((await json(`${base}/api/reprocess`, { method: 'POST', json: { step: 'catalogue', all: true } })).status).toBeLessThan(300);
    await waitForTerminal(base, [cut.photoId]);
    for (const deadline = Date.now() + 30_000; catalogueRequests < before + 2 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 100));
    await waitForTerminal(base, [cut.photoId]);
    const after = (await json(`${base}/api/products/${cut.photoId}`)).body;
    expect(after).toMatchObject({ description: 'Édition « main », 100 % argent;\r\nligne 2', qualityGrade: 'B', name: CATALOGUE_ANSWER.name });

    const csvResponse = await authFetch(`${base}/api/catalogue.csv?album=${(await json(`${base}/api/generate/jobs`)).body.items[0].albums[cut.photoId]}`);
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const csv = Buffer.from(await csvResponse.arrayBuffer());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      photoId: cut.photoId,
      name: CATALOGUE_ANSWER.name,
      description: 'Édition « main », 100 % argent;\r\nligne 2',
      attributes: 'material: sterling silver; stones: pearl; 6 mm',
      qualityGrade: 'B',
      heightMm: '32',
    });
    const urls = rows[0]!.shotUrls!.split(' ');
    expect(urls).toHaveLength(2);
    expect(rows[0]!.originalUrl).toBe(`${base}/api/photos/${cut.photoId}/original`);
    expect((await authFetch(urls[0]!)).status).toBe(200);

    const jsonExport = await json(
      `${base}/api/catalogue.json?ids=${items.map((p: { photoId: string }) => p.photoId).join(',')}&columns=photoId,name,whiteUrls`,
    );
    expect(jsonExport.status).toBe(200);
    expect(jsonExport.body).toHaveLength(2);
    for (const row of jsonExport.body) expect(Object.keys(row)).toEqual(['photoId', 'name', 'whiteUrls']);
    expect((await json(`${base}/api/catalogue.csv?columns=photoId,secret`)).status).toBe(400);
  });

  it('recognises a product photographed again at upload, and refuses bad requests with the reason', async () => {
    const again = await sharp(path.join(assets, 'albums/nature/wood_anemones.jpg')).resize(1200).jpeg({ quality: 80 }).toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(again)]), 'anemones-again.jpg');
    const response = await authFetch(`${base}/api/photos?checkDuplicate=true`, { method: 'POST', body: form });
    const body = (await response.json()) as { items: { duplicate: boolean; existing?: { photoId: string } }[] };
    const plain = (await json(`${base}/api/products`)).body.items.find((p: { filename: string }) => p.filename === 'wood_anemones.jpg');
    expect(body.items[0]).toMatchObject({ duplicate: true, existing: { photoId: plain.photoId } });

    const photoIds = [plain.photoId];
    for (const [body, status, reason] of [
      [{ photoIds, productType: 'earring', shots: [6] }, 400, /unknown shot/],
      [{ photoIds, productType: 'earring', shots: [3] }, 400, /height and width/],
      [{ photoIds, productType: 'tiara' }, 400, /no product type named "tiara"/],
      [{ photoIds: [], productType: 'earring' }, 400, /photoIds/],
      [{ photoIds: ['00000000-0000-4000-8000-000000000000'], productType: 'earring' }, 404, /no photo/],
      [{ photoIds, productType: 'earring', size: '12x12' }, 400, /size/],
    ] as const) {
      const answer = await json(`${base}/api/product-shots`, { method: 'POST', json: body });
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.message).toMatch(reason);
    }

    const created = await json(`${base}/api/product-types`, {
      method: 'POST',
      json: { name: 'Tiara', label: 'a jewelled tiara', templates: { model: 'A bride wearing {product}' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'tiara', templates: { model: 'A bride wearing {product}' } });
    expect(created.body.templates.white).toContain('{product}');
    expect((await json(`${base}/api/product-types`, { method: 'POST', json: { name: 'tiara', label: 'x' } })).status).toBe(409);
    const patched = await json(`${base}/api/product-types/${created.body.id}`, {
      method: 'PATCH',
      json: { templates: { white: '{product} on white' } },
    });
    expect(patched.body.templates).toMatchObject({ white: '{product} on white', model: 'A bride wearing {product}' });
    expect((await json(`${base}/api/product-types/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(fs.existsSync(server.dataDir)).toBe(true);
  });

  it('`shoebox product-shots` imports a file and makes its set; `shoebox catalogue export` writes the CSV', async () => {
    const file = path.join(server.dataDir, '..', `ring-${Date.now()}.png`);
    fs.writeFileSync(file, await sharp(cutout).rotate(90).png().toBuffer());
    try {
      const made = await runCli(['product-shots', file, '--type', 'ring', '--shots', '1,5', '--size', '256x256', '--json', '--data', server.dataDir]);
      expect(made.code, made.stderr).toBe(0);
      const job = JSON.parse(made.stdout);
      expect(job).toMatchObject({ kind: 'product-shots', state: 'completed', made: 2 });
      const [product, album] = Object.entries(job.albums)[0] as [string, string];
      const out = path.join(server.dataDir, '..', `catalogue-${Date.now()}.csv`);
      const exported = await runCli([
        'catalogue',
        'export',
        '--album',
        album,
        '--columns',
        'photoId,productType,whiteUrls,modelUrls',
        '--csv',
        out,
        '--data',
        server.dataDir,
      ]);
      expect(exported.code, exported.stderr).toBe(0);
      const rows = parse(fs.readFileSync(out), { columns: true, bom: true }) as Record<string, string>[];
      fs.rmSync(out, { force: true });
      expect(rows).toEqual([
        {
          photoId: product,
          productType: 'ring',
          whiteUrls: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/photos\/[0-9a-f-]{36}\/original$/),
          modelUrls: expect.any(String),
        },
      ]);
      const wrong = await runCli(['catalogue', 'export', '--columns', 'photoId,password', '--data', server.dataDir]);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/unknown column\(s\) password/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 120_000);

  it('makes a cut-out of a product photographed on a background through a mask photo, keeping the product in every shot', async () => {
    const meta = await sharp(path.join(assets, 'albums/nature/prairie_falcon.jpg')).metadata();
    const [w, h] = [meta.width!, meta.height!];
    const r = Math.round(Math.min(w, h) * 0.3);
    const mask = await sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="black"/><circle cx="${w / 2}" cy="${h / 2}" r="${r}" fill="white"/></svg>`,
      ),
    )
      .png()
      .toBuffer();
    const uploaded = await upload(base, [{ path: path.join(assets, 'albums/nature/prairie_falcon.jpg') }, { data: mask, name: 'falcon-mask.png' }]);
    const [product, maskId] = uploaded.body.items.map((item: { id: string }) => item.id) as [string, string];
    await waitForTerminal(base, [product, maskId]);
    const before = images.requests.length;
    const started = await json(`${base}/api/product-shots`, {
      method: 'POST',
      json: { photoIds: [product], productType: 'necklace', shots: [1, 4], size: '512x512', masks: { [product]: maskId } },
    });
    expect(started.status).toBe(202);
    let job = started.body;
    for (const deadline = Date.now() + 60_000; ['queued', 'running'].includes(job.state) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await json(`${base}/api/generate/jobs/${job.id}`)).body;
    }
    expect(job).toMatchObject({ state: 'completed', made: 2 });
    expect(images.requests.slice(before).every((request) => request.api === 'edits' && request.mask)).toBe(true);
    const shots = await Promise.all(job.photoIds.map(async (id: string) => (await json(`${base}/api/photos/${id}`)).body));
    expect(shots.map((shot) => shot.provenance.composited)).toEqual([true, true]);
    // the product (inside the circle) is the same pixels in both shots; the scenes around it are not
    const pixels = await Promise.all(
      job.photoIds.map(async (id: string) =>
        sharp(Buffer.from(await (await authFetch(`${base}/api/photos/${id}/original`)).arrayBuffer()))
          .removeAlpha()
          .raw()
          .toBuffer(),
      ),
    );
    const at = (buffer: Buffer, x: number, y: number) => [...buffer.subarray((y * 512 + x) * 3, (y * 512 + x) * 3 + 3)];
    for (const [x, y] of [
      [256, 256],
      [240, 270],
      [270, 240],
    ] as const)
      expect(at(pixels[0]!, x, y)).toEqual(at(pixels[1]!, x, y));
    expect(at(pixels[0]!, 8, 8)).not.toEqual(at(pixels[1]!, 8, 8));
    const wrong = await json(`${base}/api/product-shots`, {
      method: 'POST',
      json: { photoIds: [product], productType: 'necklace', masks: { [maskId]: product } },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/not among photoIds/);
  });
});
