// The configured image generators by name.
import { Automatic1111Provider } from './automatic1111.js';
import { OpenAiImagesProvider } from './openai.js';
import type { ImageProvider } from './provider.js';
import type { ImageProviderConfig, ImageSettings } from '../../config/image-providers.js';

export { ImageGenerationError, IMAGE_PROVIDER_KINDS, type ImageProvider, type ImageSize, type GeneratedImage } from './provider.js';
export type { ImageSettings } from '../../config/image-providers.js';

/** What the create features say when no provider is configured: the exact settings to add. */
export const NO_IMAGE_PROVIDER =
  'no image-generation provider is configured: set SHOEBOX_IMAGE_URL (e.g. https://api.openai.com/v1, or a Stable Diffusion web UI ' +
  'started with --api and SHOEBOX_IMAGE_PROVIDER=automatic1111), with SHOEBOX_IMAGE_MODEL and SHOEBOX_IMAGE_API_KEY where the provider needs them';

export class ImageProviders {
  private readonly byName: Map<string, ImageProvider>;

  constructor(settings: ImageSettings, maxImageBytes: number) {
    this.byName = new Map(Object.entries(settings.providers).map(([name, config]) => [name, createImageProvider(name, config, maxImageBytes)]));
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** The provider used when a request names none: `default`, else the first named one. */
  get defaultName(): string | null {
    return this.byName.has('default') ? 'default' : (this.names[0] ?? null);
  }

  get(name: string): ImageProvider | null {
    return this.byName.get(name) ?? null;
  }

  /** What GET /api/generate/providers shows: never a key. */
  describe(): { name: string; kind: string; model: string | null; endpoint: string; edits: boolean; default: boolean }[] {
    return [...this.byName.values()].map((provider) => ({
      name: provider.name,
      kind: provider.kind,
      model: provider.model,
      endpoint: provider.endpoint,
      edits: typeof provider.edit === 'function',
      default: provider.name === this.defaultName,
    }));
  }
}

export function createImageProvider(name: string, config: ImageProviderConfig, maxImageBytes: number): ImageProvider {
  switch (config.kind) {
    case 'openai':
    case 'azure':
      return new OpenAiImagesProvider(name, config, maxImageBytes);
    case 'automatic1111':
      return new Automatic1111Provider(name, config, maxImageBytes);
  }
}
