// CSV exports opened in a spreadsheet program: a cell a user or a vision model filled with = + - @ would run as a
// formula (a link out, a command through DDE). The catalogue CSV and an album ZIP's manifest.csv begin such cells with
// an apostrophe; typed numbers stay numbers and the JSON exports keep the text as it was written.
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { CATALOGUE_COLUMNS } from '../../src/model/product-vocabulary.js';
import { PLAIN_CAPTION, startChatEndpoint } from '../helpers/caption-endpoint.js';
import { assets, authFetch, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

// what the vision model writes for every product
const HOSTILE_ANSWER = {
  name: '=HYPERLINK("http://evil.example","x")',
  description: '@SUM(1)',
  attributes: [
    { name: '@evil', value: '1' },
    { name: 'material', value: '=2' },
  ],
  mainColour: '-2+3',
  qualityGrade: 'A',
  qualityReason: "+cmd|' /C calc'!A0",
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

/** The text a CSV cell holds for a JSON value: attributes as `name: value; …`, lists joined by spaces. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([name, text]) => `${name}: ${text}`)
      .join('; ');
  }
  return String(value);
}

describe('CSV exports and spreadsheet formulas', () => {
  let chat: { url: string; close(): Promise<void> };
  let server: TestServer;
  let base: string;

  beforeAll(async () => {
    chat = await startChatEndpoint((system) => JSON.stringify(system.includes('product catalogue entries') ? HOSTILE_ANSWER : PLAIN_CAPTION));
    server = await startTestServer({
      ...withoutFacesOrText({ ml: { caption: { url: chat.url, model: 'llava:7b', timeoutMs: 10_000, maxAttempts: 3 } } }),
      creationTools: true,
    });
    base = server.url;
  });

  afterAll(async () => {
    await server?.dispose();
    await chat?.close();
  });

  it('begins cells with = + - @ with an apostrophe in the catalogue CSV and the album manifest, not in JSON', async () => {
    const uploaded = await upload(base, [
      { path: path.join(assets, 'albums/nature/silver_fir.jpg'), name: '-2+3.jpg' },
      { path: path.join(assets, 'albums/nature/prairie_falcon.jpg'), name: '@SUM(1).jpg' },
      { path: path.join(assets, 'albums/nature/tanners_ridge.jpg'), name: 'ridge;=1+1.jpg' },
    ]);
    expect(uploaded.status).toBeLessThan(300);
    const [byModel, byHand, other] = uploaded.body.items.map((item: { id: string }) => item.id) as [string, string, string];
    await waitForTerminal(base, [byModel, byHand, other]);

    // the catalogue step fills both products from the model's answer; the second is then edited by hand
    const marked = await json(`${base}/api/products`, {
      method: 'POST',
      json: { photoIds: [byModel, byHand], productType: 'ring', height: 32, width: 18 },
    });
    expect(marked.status).toBe(200);
    await waitForTerminal(base, [byModel, byHand]);
    expect((await json(`${base}/api/products/${byModel}`)).body).toMatchObject({ name: HOSTILE_ANSWER.name, description: '@SUM(1)' });
    const edited = await json(`${base}/api/products/${byHand}`, {
      method: 'PATCH',
      json: {
        name: "+cmd|' /C calc'!A0",
        description: '\t=1+1',
        attributes: { '＝full': 'width', size: '-5' },
        mainColour: '＠red',
        qualityReason: '  -1',
      },
    });
    expect(edited.status).toBe(200);

    const columns = CATALOGUE_COLUMNS.join(',');
    const csvResponse = await authFetch(`${base}/api/catalogue.csv?columns=${columns}`);
    expect(csvResponse.status).toBe(200);
    const rows = parse(Buffer.from(await csvResponse.arrayBuffer()), { columns: true, bom: true }) as Record<string, string>[];
    const jsonExport = await json(`${base}/api/catalogue.json?columns=${columns}`);
    expect(jsonExport.status).toBe(200);
    expect(rows).toHaveLength(2);
    expect(jsonExport.body).toHaveLength(2);

    const model = rows.find((row) => row.photoId === byModel)!;
    expect(model).toMatchObject({
      filename: "'-2+3.jpg",
      name: `'${HOSTILE_ANSWER.name}`,
      description: "'@SUM(1)",
      attributes: "'@evil: 1; material: =2",
      mainColour: "'-2+3",
      qualityReason: `'${HOSTILE_ANSWER.qualityReason}`,
      heightMm: '32',
      widthMm: '18',
    });
    const hand = rows.find((row) => row.photoId === byHand)!;
    expect(hand).toMatchObject({
      filename: "'@SUM(1).jpg",
      name: "'+cmd|' /C calc'!A0",
      description: "'\t=1+1",
      attributes: "'＝full: width; size: -5",
      mainColour: "'＠red",
      qualityReason: "'-1",
    });
    expect(hand.originalUrl).toBe(`${base}/api/photos/${byHand}/original`);

    // JSON is data: the text as written; every CSV cell is that text, with an apostrophe where it would be a formula
    const modelJson = jsonExport.body.find((row: { photoId: string }) => row.photoId === byModel);
    expect(modelJson).toMatchObject({ filename: '-2+3.jpg', name: HOSTILE_ANSWER.name, attributes: { '@evil': '1', material: '=2' }, heightMm: 32 });
    const handJson = jsonExport.body.find((row: { photoId: string }) => row.photoId === byHand);
    expect(handJson).toMatchObject({ filename: '@SUM(1).jpg', name: "+cmd|' /C calc'!A0", description: '\t=1+1', mainColour: '＠red' });
    for (const row of jsonExport.body as Record<string, unknown>[]) {
      const cells = rows.find((r) => r.photoId === row.photoId)!;
      for (const column of CATALOGUE_COLUMNS) {
        const text = asText(row[column]);
        expect(cells[column]).toBe(/^[\s]*[=+\-@＝＋－＠]|^[\t\r]/.test(text) && typeof row[column] !== 'number' ? `'${text}` : text);
      }
    }

    // the album ZIP's manifest.csv: original names are the uploader's; manifest.json keeps them as they are
    const album = await json(`${base}/api/albums`, { method: 'POST', json: { name: '=evil album' } });
    expect(album.status).toBe(201);
    expect((await json(`${base}/api/albums/${album.body.id}/photos`, { method: 'POST', json: { ids: [byModel, byHand, other] } })).status).toBe(200);
    const zipResponse = await authFetch(`${base}/api/albums/${album.body.id}/zip`);
    expect(zipResponse.status).toBe(200);
    const files = await unzip(Buffer.from(await zipResponse.arrayBuffer()));
    const manifestCsv = files.get('manifest.csv')!.toString('utf8');
    const manifest = parse(manifestCsv, { columns: true }) as Record<string, string>[];
    // added together, the photos are in the ZIP in any order
    const byId = new Map(manifest.map((row) => [row.photoId, row]));
    expect(byId.get(byModel)).toMatchObject({ originalName: "'-2+3.jpg", file: expect.stringMatching(/^0\d--2\+3\.jpg$/) });
    expect(byId.get(byHand)).toMatchObject({ originalName: "'@SUM(1).jpg", file: expect.stringMatching(/^0\d-@SUM\(1\)\.jpg$/) });
    expect(byId.get(other)).toMatchObject({ originalName: 'ridge;=1+1.jpg' });
    // a spreadsheet program that splits on semicolons (many European locales) must not find a cell starting with =
    expect(manifestCsv).toContain('"ridge;=1+1.jpg"');
    expect(manifestCsv).toMatch(/"0\d-ridge;=1\+1\.jpg"/);
    const manifestJson = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { files: { originalName: string }[] };
    expect(manifestJson.files.map((file) => file.originalName).sort()).toEqual(['-2+3.jpg', '@SUM(1).jpg', 'ridge;=1+1.jpg']);
  });
});
