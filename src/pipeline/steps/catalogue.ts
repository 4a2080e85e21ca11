import { eq } from 'drizzle-orm';
import { photoCaptions, products, type CatalogueField } from '../../db/schema.js';
import {
  CATALOGUE_JSON_SCHEMA,
  CATALOGUE_SYSTEM_PROMPT,
  colourName,
  CREATION_OFF,
  creationToolsOn,
  fallbackCatalogueFields,
  NOT_A_PRODUCT,
  productColour,
  validateCatalogueFields,
  type CatalogueFields,
} from '../../library/create/index.js';
import { ChatClient, type ChatMessage } from '../../ml/captions/chat.js';
import { imageDataUrl } from '../../ml/captions/image.js';
import { requestValidatedJson } from '../../ml/captions/structured.js';
import { derivedKey } from '../../storage/keys.js';
import type { PipelineStep } from '../step.js';

/**
 * Catalogue fields for photos marked as products (library/create/products.ts): name, description, attributes,
 * main colour and quality grade from the caption endpoint (validated JSON, retried with the reason, like the
 * captions step), else from the caption and palette. Fields the user edited by hand are kept. Other photos skip it; a
 * library with the creation tools off has no catalogue step (library/create/switch.ts).
 */
export const catalogueStep: PipelineStep = {
  name: 'catalogue',
  version: '1',
  async modelVersion(ml) {
    return ml.captionVersion();
  },
  async run({ photo, db, ml, localFile }) {
    const [product] = await db.select().from(products).where(eq(products.photoId, photo.id));
    if (!product) return { status: 'skipped', reason: NOT_A_PRODUCT };
    // a product's step reopened while the tools are off (an edit, a reprocess) waits for them (switching on runs it)
    if (!(await creationToolsOn(db))) return { status: 'skipped', reason: CREATION_OFF };
    const hex = productColour(photo.palette);
    const { url, model, apiKey, timeoutMs, maxAttempts } = ml.settings.caption;
    let fields: CatalogueFields;
    let source: 'provider' | 'fallback';
    if (url && model) {
      const client = new ChatClient({ baseUrl: url, model, apiKey, timeoutMs, maxAttempts });
      const image = await imageDataUrl(await localFile(derivedKey(photo.id, 'preview.jpg')), 1024);
      fields = await requestFields(client, image, product.productType, maxAttempts ?? 3);
      fields.mainColour ??= colourName(hex);
      source = 'provider';
    } else {
      const [caption] = await db.select().from(photoCaptions).where(eq(photoCaptions.photoId, photo.id));
      fields = fallbackCatalogueFields({ filename: photo.filename, caption: caption ?? null, colourName: colourName(hex) });
      source = 'fallback';
    }
    const kept = new Set(product.editedFields as CatalogueField[]);
    const take = <K extends CatalogueField>(field: K, value: CatalogueFields[K]) => (kept.has(field) ? {} : { [field]: value });
    await db
      .update(products)
      .set({
        ...take('name', fields.name),
        ...take('description', fields.description),
        ...take('attributes', fields.attributes),
        ...take('mainColour', fields.mainColour),
        ...take('qualityGrade', fields.qualityGrade),
        ...take('qualityReason', fields.qualityReason),
        mainColourHex: hex,
        fieldsSource: source,
        fieldsModel: source === 'provider' ? model! : null,
        updatedAt: new Date(),
      })
      .where(eq(products.photoId, photo.id));
    return { status: 'done' };
  },
};

function requestFields(client: ChatClient, image: string, productType: string, maxAttempts: number): Promise<CatalogueFields> {
  const messages: ChatMessage[] = [
    { role: 'system', content: CATALOGUE_SYSTEM_PROMPT },
    {
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: image } },
        { type: 'text', text: `The product is a ${productType}. Write its catalogue entry.` },
      ],
    },
  ];
  return requestValidatedJson(client, messages, { jsonSchema: CATALOGUE_JSON_SCHEMA, validate: validateCatalogueFields, what: 'catalogue entry', maxAttempts });
}
