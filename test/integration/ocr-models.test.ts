// A newer PP-OCR recogniser installed like a CLIP model (`models pull ocr-ppocr-v5`, issue 34 item 4): from a loopback
// hub speaking the hub's protocol, in the layout of PaddlePaddle's PP-OCRv5 ONNX repositories (inference.onnx, its
// character set in inference.yml). The weights served are the bundled v4 recogniser's (v5's cannot be downloaded
// here): what is tested is the way in — download, the character set read from the YAML, the engine made again with
// it, the step's version and note — and that it reads.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { pullModel } from '../../src/ml/hub-download.js';
import { getHubModelSpec } from '../../src/ml/model-catalogue.js';
import { bundledPaddleModels, loadCharset } from '../../src/ml/paddle/models.js';
import { FakeHub } from '../helpers/fake-hub.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

describe('a PP-OCR recogniser pulled from the hub', () => {
  let hub: FakeHub;
  let endpoint: string;
  let server: TestServer;
  let photoId: string;

  beforeAll(async () => {
    const bundled = bundledPaddleModels();
    const keys = (await readFile(bundled.charset, 'utf8')).split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
    const config = stringify({ Global: { model_name: 'PP-OCRv5_mobile_rec' }, PostProcess: { name: 'CTCLabelDecode', character_dict: keys } });
    const files = new Map([
      ['inference.onnx', await readFile(bundled.recognition)],
      ['inference.yml', Buffer.from(config)],
    ]);
    hub = new FakeHub(getHubModelSpec('ocr-ppocr-v5').repo, files);
    endpoint = await hub.start();
    server = await startTestServer({ ml: { ocrModel: 'ocr-ppocr-v5' } });
    const uploaded = await upload(server.url, [{ path: `${assets}/albums/text/craft-beer.jpg` }]);
    photoId = uploaded.body.items[0].id;
    await waitForTerminal(server.url, [photoId], 120_000);
  }, 180_000);

  afterAll(async () => {
    await server?.dispose();
    await hub?.stop();
  });

  it('reads with the bundled recogniser while the configured one is not installed, and says so on the step', async () => {
    const photo = (await json(`${server.url}/api/photos/${photoId}`)).body;
    expect(photo.steps.ocr.status).toBe('done');
    expect(photo.steps.ocr.error).toBe('ocr-ppocr-v5 is not installed (shoebox models pull ocr-ppocr-v5): read with the bundled ocr-ppocr-v4');
    expect(photo.ocr.text).toContain('HOPADILLO');
    expect(photo.ocr.languages).toEqual(['chi_sim', 'eng']);
  });

  it('reads its character set from inference.yml', async () => {
    const manifest = await pullModel(server.dataDir, 'ocr-ppocr-v5', { endpoint });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['inference.onnx', 'inference.yml']);
    const charset = await loadCharset(`${server.dataDir}/models/ocr-ppocr-v5/inference.yml`);
    expect(charset).toEqual(await loadCharset(bundledPaddleModels().charset));
    expect(charset[0]).toBe(''); // the blank
    expect(charset.at(-1)).toBe(' ');
  });

  it('reads with the installed one once it is there: the step runs again, its version names it, no note', async () => {
    const queued = await json(`${server.url}/api/reprocess`, { method: 'POST', json: { step: 'ocr', all: true } });
    expect(queued.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await waitForTerminal(server.url, [photoId], 120_000);
    const photo = (await json(`${server.url}/api/photos/${photoId}`)).body;
    expect(photo.steps.ocr.status).toBe('done');
    expect(photo.steps.ocr.error).toBeNull();
    expect(photo.steps.ocr.version).toMatch(/^1\+ocr-ppocr-v5@[0-9a-f]+\+det-ppocr-v4-mobile@ocr-models-1\.4\.2\+det1280-read1800-r\d+\|gate:/);
    expect(photo.ocr.text).toContain('HOPADILLO');
    expect(photo.ocr.languages).toEqual(['chi_sim', 'chi_tra', 'eng', 'jpn']);
  }, 180_000);

  it('refuses a config without a character set, naming the file', async () => {
    const broken = `${server.dataDir}/broken.yml`;
    await import('node:fs/promises').then((fs) => fs.writeFile(broken, stringify({ PostProcess: { name: 'CTCLabelDecode' } })));
    await expect(loadCharset(broken)).rejects.toThrow('broken.yml has no PostProcess.character_dict list');
  });
});
