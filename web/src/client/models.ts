// The AI models Shoebox knows (GET /api/models): which are installed, which is in use, what each enables.
import type { ModelInfo, ModelList } from '../../../src/api/contract.js';
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled).
export type { ModelInfo, ModelList };

export function listModels(signal?: AbortSignal): Promise<ModelList> {
  return request('GET', '/api/models', { signal });
}
