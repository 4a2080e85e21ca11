// Shared shapes of the ML modules. Each module (clip, faces, ocr, tags, captions) implements one of these;
// pipeline steps and `inspect` only see these interfaces.

/** A rectangle in upright pixel coordinates of the original (EXIF orientation applied). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A CLIP-style model: images and texts embedded into one space, vectors L2-normalised. */
export interface ClipModel {
  /** Registry name, e.g. `clip-vit-b32`. */
  readonly name: string;
  /** Changes whenever the weights change (name + revision or a file digest): recorded with each embedding. */
  readonly version: string;
  readonly dimensions: number;
  embedImage(file: string): Promise<Float32Array>;
  /** Query embeddings; recent queries are cached. */
  embedText(text: string): Promise<Float32Array>;
  /** Many texts at once (vocabularies, prompt sets); not cached. */
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface DetectedFace {
  box: Box;
  score: number;
  /** Landmarks in the same upright coordinates, when the detector gives them. */
  landmarks: Point[] | null;
  /** Identity descriptor, L2-normalised, so cosine distance compares faces. */
  embedding: Float32Array;
  /** How open the eyes are (lids' gap over the eye's width, ~0.3+ open, under ~0.2 closed); null when not judged. */
  eyesOpen?: number | null;
}

export interface FaceDetector {
  /** Names the detector, descriptor model and settings; recorded with each face. */
  readonly version: string;
  readonly dimensions: number;
  /**
   * Detects faces on an upright (already EXIF-oriented) image and returns boxes scaled to `upright`, the size
   * of the upright original (the image given may be a smaller rendition of it).
   */
  detect(image: string, upright: { width: number; height: number }): Promise<DetectedFace[]>;
  /** Identity descriptors of given boxes (upright pixels of the original), as detected faces get them. */
  describe(image: string, upright: { width: number; height: number }, boxes: readonly Box[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface OcrWord {
  text: string;
  confidence: number;
  box: Box;
}

export interface OcrResult {
  text: string;
  /** Mean word confidence, 0–100. */
  confidence: number;
  words: OcrWord[];
  languages: string[];
}

export interface TagScore {
  name: string;
  confidence: number;
}

export const QUALITY_GRADES = ['A', 'B', 'C'] as const;

/** What the `captions` step stores. */
export interface CaptionResult {
  caption: string;
  description: string | null;
  primaryCategory: string | null;
  tags: string[];
  detectedObjects: { name: string; confidence: number }[];
  sceneType: string | null;
  suggestedClusterName: string | null;
  qualityGrade: (typeof QUALITY_GRADES)[number] | null;
  qualityReason: string | null;
  /** `provider` (one endpoint), `two-stage` (caption, then a text model for the fields), `fallback` (from tags). */
  source: 'provider' | 'two-stage' | 'fallback';
  /** The model(s) that produced it, e.g. `llava:13b` or `llava:13b+qwen2.5:7b`; `tags` for the fallback. */
  model: string;
}
