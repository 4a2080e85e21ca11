import { describe, expect, it } from 'vitest';
import { colourName, fallbackCatalogueFields, productColour, validateCatalogueFields } from '../../src/library/create/catalogue-fields.js';
import { promptSlug } from '../../src/library/create/plan.js';
import { parseShots } from '../../src/model/product-vocabulary.js';
import { shotPrompt, STARTING_TYPES } from '../../src/library/create/product-types.js';
import { cleanPrompt, parseSize } from '../../src/library/create/requests.js';
import { imageSettingsFromEnv } from '../../src/config/image-providers.js';
import { loadSettings } from '../../src/config/settings.js';

describe('generation requests', () => {
  it('reads sizes within 64–4096 pixels a side, multiples of 8', () => {
    expect(parseSize('1024x768')).toEqual({ width: 1024, height: 768 });
    expect(parseSize('1024 × 768')).toEqual({ width: 1024, height: 768 });
    expect(parseSize('1024 by 768')).toMatch(/WIDTHxHEIGHT/);
    expect(parseSize('1020x1024')).toMatch(/multiple of 8/);
    expect(parseSize('32x32')).toMatch(/from 64 to 4096/);
    expect(parseSize('8192x64')).toMatch(/from 64 to 4096/);
  });

  it('keeps tabs and newlines in a prompt, takes control characters out, and names files after its first words', () => {
    expect(cleanPrompt(' a cat\u0007 on\ta mat\n ')).toBe('a cat on\ta mat');
    expect(promptSlug('Crème brûlée on a café table, golden hour!')).toBe('creme-brulee-on-a-cafe-table-golden-hour');
    expect(promptSlug('日本の庭')).toBe('generated');
  });

  it('reads shot numbers and names in number order, refusing others', () => {
    expect(parseShots([5, '1', 'hand'])).toEqual(['white', 'hand', 'model']);
    expect(parseShots(['6'])).toMatch(/unknown shot "6"/);
    expect(parseShots([])).toMatch(/at least one/);
    const earring = STARTING_TYPES.find((type) => type.name === 'earring')!;
    expect(shotPrompt(earring, 'model')).toMatch(/^A model wearing an earring on her ear/);
  });
});

describe('catalogue fields', () => {
  it('validates what the model answered, naming what is wrong', () => {
    const good = validateCatalogueFields({
      name: '  Silver\nhoop  ',
      description: 'A hoop.',
      attributes: [
        { name: 'Material', value: 'silver' },
        { name: '', value: 'x' },
        { name: 'carats', value: 2 },
      ],
      mainColour: 'silver',
      qualityGrade: 'a',
      qualityReason: 'Sharp.',
    });
    expect(good).toEqual({
      ok: true,
      fields: {
        name: 'Silver hoop',
        description: 'A hoop.',
        attributes: { material: 'silver', carats: '2' },
        mainColour: 'silver',
        qualityGrade: 'A',
        qualityReason: 'Sharp.',
      },
    });
    expect(validateCatalogueFields({ name: '', description: 'x', qualityGrade: 'A' })).toEqual({
      ok: false,
      error: '"name" must be a non-empty string',
    });
    expect(validateCatalogueFields({ name: 'x', description: 'x', qualityGrade: 'D' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/qualityGrade/),
    });
    expect(validateCatalogueFields({ name: 'x', description: 'x', attributes: 'gold', qualityGrade: 'A' })).toMatchObject({ ok: false });
  });

  it("takes the product's colour, not its white backdrop, from the palette", () => {
    const palette = [
      { hex: '#fafafa', share: 0.7 },
      { hex: '#b76e79', share: 0.2 },
      { hex: '#333333', share: 0.1 },
    ];
    expect(productColour(palette)).toBe('#b76e79');
    expect(colourName('#b76e79')).toBe('rose gold');
    expect(productColour([{ hex: '#c0c0c0', share: 1 }])).toBe('#c0c0c0');
    expect(colourName('#c0c0c0')).toBe('silver');
    expect(productColour(null)).toBeNull();
  });

  it('stands in with the caption and palette without an endpoint', () => {
    expect(
      fallbackCatalogueFields({
        filename: 'gold_ring-01.jpg',
        caption: { caption: 'A gold ring', description: 'A gold ring on white.', qualityGrade: 'b', qualityReason: 'Soft focus.' },
        colourName: 'gold',
      }),
    ).toEqual({
      name: 'A gold ring',
      description: 'A gold ring on white.',
      attributes: {},
      mainColour: 'gold',
      qualityGrade: 'B',
      qualityReason: 'Soft focus.',
    });
    expect(fallbackCatalogueFields({ filename: 'gold_ring-01.jpg', caption: null, colourName: null }).name).toBe('gold ring 01');
  });
});

describe('image provider settings', () => {
  it('reads the default provider and named ones, each naming its own settings', () => {
    const env = {
      SHOEBOX_IMAGE_URL: 'https://api.openai.com/v1',
      SHOEBOX_IMAGE_MODEL: 'gpt-image-1',
      SHOEBOX_IMAGE_API_KEY: 'sk-x',
      SHOEBOX_IMAGE_PROVIDERS: 'gpu-box',
      SHOEBOX_IMAGE_GPU_BOX_URL: 'http://gpu.lan:7860',
      SHOEBOX_IMAGE_GPU_BOX_PROVIDER: 'automatic1111',
      SHOEBOX_IMAGE_GPU_BOX_STEPS: '30',
      SHOEBOX_GENERATION_IMAGES_PER_DAY: '0',
    };
    const settings = loadSettings({ dataDir: '/tmp/x' }, env).images;
    expect(settings.imagesPerDay).toBe(0);
    expect(settings.providers.default).toMatchObject({ kind: 'openai', model: 'gpt-image-1', apiKeySetting: 'SHOEBOX_IMAGE_API_KEY' });
    expect(settings.providers['gpu-box']).toMatchObject({
      kind: 'automatic1111',
      steps: 30,
      urlSetting: 'SHOEBOX_IMAGE_GPU_BOX_URL',
      timeoutMs: 300_000,
    });
    expect(() => imageSettingsFromEnv({ SHOEBOX_IMAGE_PROVIDERS: 'sdxl' })).toThrow(/SHOEBOX_IMAGE_SDXL_URL is not set/);
    expect(() => loadSettings({ dataDir: '/tmp/x' }, { SHOEBOX_IMAGE_URL: 'http://x', SHOEBOX_IMAGE_PROVIDER: 'midjourney' })).toThrow(
      /images\.providers\.default\.kind/,
    );
    expect(loadSettings({ dataDir: '/tmp/x' }, {}).images).toMatchObject({ providers: {}, imagesPerDay: 100, concurrency: 2 });
  });
});
