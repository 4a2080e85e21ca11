// What the AI steps found of a photo, as GET /api/photos/:id gives it: detected objects, fused tags, the caption.
import { z } from 'zod';

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const photoObjectsSchema = z
  .array(z.object({ label: z.string(), confidence: z.number(), box }))
  .describe("the objects detector's finds (COCO's 80 classes), box in upright pixels of the original, most confident first");

export const photoTagsSchema = z
  .array(z.object({ name: z.string(), confidence: z.number(), sources: z.array(z.string()).describe('the models that found it: `clip`, `objects`') }))
  .describe("CLIP's zero-shot tags and the detected objects' classes, one tag a name, most confident first");

export const photoCaptionSchema = z
  .object({
    caption: z.string(),
    description: z.string().nullable(),
    primaryCategory: z.string().nullable(),
    tags: z.array(z.string()),
    detectedObjects: z.array(z.object({ name: z.string(), confidence: z.number() })),
    sceneType: z.string().nullable(),
    suggestedClusterName: z.string().nullable(),
    qualityGrade: z.string().nullable(),
    qualityReason: z.string().nullable(),
    source: z.string().describe('`provider`, `two-stage`, or `fallback` (composed from the tags)'),
    model: z.string(),
  })
  .nullable();
