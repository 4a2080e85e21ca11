// How a generated image was made (photos.provenance) and the shots of a product set: plain types, in a file of
// their own so that photos.ts can name them without importing creation.ts, which imports photos.ts.

import type { ShotType } from '../../model/photo-vocabulary.js';

export { SHOT_TYPES, type ShotType } from '../../model/photo-vocabulary.js';

/** How a generated image was made (photos.provenance). */
export interface Provenance {
  prompt: string;
  negativePrompt: string | null;
  /** The prompt as the provider rewrote it, where it says so (DALL·E 3 does). */
  revisedPrompt: string | null;
  /** The provider's name in the settings (`default`, or one of SHOEBOX_IMAGE_PROVIDERS) and its kind. */
  provider: string;
  providerKind: string;
  model: string | null;
  /** The seed asked for (null: the provider chose one and did not say) or the one the provider reported. */
  seed: number | null;
  /** WIDTHxHEIGHT as asked. */
  size: string;
  /** `text` (text-to-image) or `edit` (image-to-image from the source photo). */
  mode: 'text' | 'edit';
  sourcePhotoId: string | null;
  jobId: string;
  /** The image's place in its job (0-based). */
  index: number;
  /** A product shot: which one, of which product photo, as which product type. */
  shot?: ShotType;
  productPhotoId?: string;
  productType?: string;
  /** The product's own pixels were laid over the generated scene (a cut-out was available). */
  composited?: boolean;
  /** ISO 8601 */
  generatedAt: string;
}
