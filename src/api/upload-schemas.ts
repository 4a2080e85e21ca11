// What an upload answers: each file's outcome, a near-copy found instead, a request refused as a whole.
import { z } from 'zod';
import { MEDIA_TYPES } from '../model/video.js';
import { errorBody } from './schemas.js';

export const existingCopy = z
  .object({
    photoId: z.string(),
    tier: z.enum(['pdq', 'clip', 'burst']).describe('`pdq`: perceptual hash within the distance; `clip`: embedding similarity'),
    pdqDistance: z.number().int().nullable().describe('PDQ Hamming distance in bits'),
    pdqOrientation: z.string().nullable().describe('`original`, or the rotation/mirror of the upload that matched'),
    similarity: z.number().nullable().describe('CLIP cosine similarity'),
    url: z.string(),
    thumbnailUrl: z.string(),
  })
  .describe('with checkDuplicate: the near-copy already in the library (the upload was not stored)');

export const uploadItem = z.union([
  z.object({
    id: z.string(),
    filename: z.string(),
    duplicate: z.boolean(),
    state: z.string(),
    type: z.enum(MEDIA_TYPES).describe('a photo or a video, by its content'),
    existing: existingCopy.optional(),
  }),
  z.object({ filename: z.string(), error: z.string(), statusCode: z.number().int() }),
  z
    .object({ filename: z.string(), duplicate: z.literal(true), message: z.string() })
    .describe('through a share link: the owner already has this file (nothing was added, and which photo it is is not said)'),
]);

export const uploadResult = z.object({
  items: z.array(uploadItem),
  error: z.string().optional(),
  message: z.string().optional(),
  statusCode: z.number().int().optional(),
});

/** An upload refused as a whole: the reason, and each file's when the request got that far. */
export const uploadRefused = errorBody.extend({
  items: z.array(uploadItem).optional().describe("each file's outcome, when the request was read"),
});
