// Create: image generation, "inspired by", product shots, product types and the catalogue.
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled).
import type { GenerationJobInfo, ImageProviderInfo, ProductInfo, ProductTypeInfo, ProvidersAnswer, ShotType } from '../../../src/api/contract.js';

export type { GenerationJobInfo, ImageProviderInfo, ProductInfo, ProductTypeInfo, ProvidersAnswer, ShotType };

export const SHOTS: readonly { shot: ShotType; number: number; label: string }[] = [
  { shot: 'white', number: 1, label: 'White background' },
  { shot: 'hand', number: 2, label: 'Held in a hand' },
  { shot: 'dimensions', number: 3, label: 'With its dimensions' },
  { shot: 'lifestyle', number: 4, label: 'Lifestyle scene' },
  { shot: 'model', number: 5, label: 'Worn by a model' },
];

export const SIZES: readonly { value: string; label: string }[] = [
  { value: '1024x1024', label: 'Square · 1024 × 1024' },
  { value: '1024x1536', label: 'Portrait · 1024 × 1536' },
  { value: '1536x1024', label: 'Landscape · 1536 × 1024' },
  { value: '512x512', label: 'Small square · 512 × 512' },
];

/** Whether this library uses the creation tools (an admin's switch; off, their routes answer 404). */
export function getCreationTools(signal?: AbortSignal): Promise<{ on: boolean }> {
  return request('GET', '/api/creation-tools', { signal });
}

export function switchCreationTools(on: boolean): Promise<{ on: boolean }> {
  return request('PUT', '/api/admin/creation-tools', { body: { on } });
}

export function getProviders(signal?: AbortSignal): Promise<ProvidersAnswer> {
  return request('GET', '/api/generate/providers', { signal });
}

export interface GenerateRequest {
  prompt: string;
  negativePrompt?: string;
  n: number;
  size: string;
  provider?: string;
  seed?: number;
  sourcePhotoId?: string;
  mode?: 'text' | 'edit';
}

export function generate(body: GenerateRequest): Promise<GenerationJobInfo> {
  return request('POST', '/api/generate', { body });
}

export function listGenerationJobs(signal?: AbortSignal): Promise<{ items: GenerationJobInfo[] }> {
  return request('GET', '/api/generate/jobs?limit=20', { signal });
}

export function cancelGeneration(id: string): Promise<GenerationJobInfo> {
  return request('POST', `/api/generate/jobs/${encodeURIComponent(id)}/cancel`);
}

export function inspire(photoId: string): Promise<{ prompt: string; negativePrompt: string | null; model: string }> {
  return request('POST', `/api/photos/${encodeURIComponent(photoId)}/inspire`);
}

export interface ProductShotsRequest {
  photoIds: string[];
  productType: string;
  shots: number[];
  n: number;
  height?: number;
  width?: number;
  unit: 'mm' | 'cm' | 'in';
  size: string;
  provider?: string;
}

export function startProductShots(body: ProductShotsRequest): Promise<GenerationJobInfo> {
  return request('POST', '/api/product-shots', { body });
}

export function listProductTypes(signal?: AbortSignal): Promise<{ items: ProductTypeInfo[] }> {
  return request('GET', '/api/product-types', { signal });
}

export function listProducts(signal?: AbortSignal): Promise<{ items: ProductInfo[]; total: number }> {
  return request('GET', '/api/products?limit=500', { signal });
}

export type ProductEdit = Partial<Pick<ProductInfo, 'name' | 'description' | 'mainColour' | 'qualityReason'>> & {
  qualityGrade?: 'A' | 'B' | 'C' | null;
  attributes?: Record<string, string>;
};

export function updateProduct(photoId: string, edit: ProductEdit): Promise<ProductInfo> {
  return request('PATCH', `/api/products/${encodeURIComponent(photoId)}`, { body: edit });
}

/** Where the catalogue downloads from (the browser sends the session cookie). */
export function catalogueUrl(format: 'csv' | 'json', options: { album?: string; ids?: string[] } = {}): string {
  const query = new URLSearchParams();
  if (options.album) query.set('album', options.album);
  if (options.ids?.length) query.set('ids', options.ids.join(','));
  const text = query.toString();
  return `/api/catalogue.${format}${text ? `?${text}` : ''}`;
}

export const albumZipUrl = (albumId: string) => `/api/albums/${encodeURIComponent(albumId)}/zip`;
export const thumbnailUrl = (photoId: string) => `/api/photos/${encodeURIComponent(photoId)}/thumbnail`;
