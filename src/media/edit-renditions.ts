// Renditions of an edited photo: the upright preview turned and cropped, then encoded like any photo's. A crop
// needs more pixels than the usual preview holds to fill a preview of its own: the photo is decoded again at the
// size that gives them (edited photos only).
import sharp from 'sharp';
import { cropPixels, editedSize, turnedSize, type PhotoEdit } from '../model/photo-edit.js';
import { decodePhoto, DEFAULT_SIZES, labelOf } from './decode.js';
import { encodeRenditions, sharpError, type Sizes } from './renditions.js';

/** The largest preview decoded for a crop (a 2 % crop of a 100 MP photo needs no 70,000 px decode). */
const MAX_SOURCE_SIDE = 8192;

export interface EditedRenditions {
  thumbnail: Buffer;
  preview: Buffer;
  /** The edited image's size in pixels of the original. */
  width: number;
  height: number;
}

/**
 * The edited thumbnail and preview. `preview` is the unedited upright preview already made (JPEG, long side
 * `sizes.preview` or less); `upright` the original's upright size.
 */
export async function editedRenditions(
  input: { file: string; mime: string; preview: Buffer; upright: { width: number; height: number } },
  edit: PhotoEdit,
  sizes: Sizes = DEFAULT_SIZES,
): Promise<EditedRenditions> {
  const label = labelOf(input.file, input.mime);
  const { upright } = input;
  const side = Math.min(edit.crop?.width ?? 1, edit.crop?.height ?? 1);
  const longSide = Math.max(upright.width, upright.height);
  const wanted = Math.min(longSide, MAX_SOURCE_SIDE, Math.ceil(sizes.preview / side));
  const source = wanted > sizes.preview * 1.05 ? (await decodePhoto(input.file, input.mime, { previewSize: wanted })).preview : input.preview;
  try {
    const image = sharp(source).rotate(edit.rotate);
    const meta = await sharp(source).metadata();
    const turned = turnedSize({ width: meta.width!, height: meta.height! }, edit.rotate);
    const { data, info } = await image
      .extract(cropPixels(turned, edit.crop))
      .resize(sizes.preview, sizes.preview, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { ...(await encodeRenditions(data, info, sizes, label)), ...editedSize(upright, edit) };
  } catch (error) {
    throw sharpError(error, label);
  }
}
