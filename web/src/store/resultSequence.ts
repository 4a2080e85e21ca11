// A fixed list of photos (search results, similar photos) as an ordering the photo page can step through with
// ←/→, like the gallery's timeline: opening a result makes its list the library's active ordering.
import { isTerminal } from '../api.js';
import type { TimelinePhoto, TilePhoto } from '../client/library.js';
import { library, PhotoSequence } from './library.js';

let lists = 0;

/** Every photo is loaded already: no timeline, no chunks, nothing to fetch. */
export class ResultSequence extends PhotoSequence {
  private readonly photos: TimelinePhoto[];
  private readonly positions: Map<string, number>;

  constructor(photos: readonly TilePhoto[]) {
    super(`results:${++lists}`, {});
    this.photos = photos.map((photo) => asTimelinePhoto(photo));
    this.positions = new Map(this.photos.map((photo, index) => [photo.id, index]));
  }

  override get total(): number {
    return this.photos.length;
  }

  override ensureLoaded(): Promise<void> {
    return Promise.resolve();
  }

  override refresh(): Promise<void> {
    return Promise.resolve();
  }

  override photoAt(offset: number): TimelinePhoto | undefined {
    return this.photos[offset];
  }

  override indexOf(id: string): number | undefined {
    return this.positions.get(id);
  }

  override load(offset: number): Promise<TimelinePhoto | undefined> {
    return Promise.resolve(this.photos[offset]);
  }

  override want(): void {
    // all loaded
  }
}

function asTimelinePhoto(photo: TilePhoto): TimelinePhoto {
  return {
    id: photo.id,
    filename: photo.filename,
    state: photo.state ?? 'completed',
    takenAt: photo.takenAt ?? null,
    width: photo.width ?? null,
    height: photo.height ?? null,
    make: photo.make ?? null,
    model: photo.model ?? null,
    mime: 'mime' in photo && typeof photo.mime === 'string' ? photo.mime : '',
    type: photo.type ?? 'photo',
    durationMs: photo.durationMs ?? null,
    motion: photo.motion ?? false,
    sizeBytes: 'sizeBytes' in photo && typeof photo.sizeBytes === 'number' ? photo.sizeBytes : 0,
    hasGps: 'hasGps' in photo && typeof photo.hasGps === 'boolean' ? photo.hasGps : false,
    hasThumbnail: photo.hasThumbnail ?? isTerminal(photo.state ?? 'completed'),
    createdAt: 'createdAt' in photo && typeof photo.createdAt === 'string' ? photo.createdAt : '',
    colour: photo.colour ?? null,
    favorite: photo.favorite ?? false,
    rating: null,
  };
}

/** Opening a photo from this list: the photo page's ←/→ step through the list, in its order. */
export function stepThroughList(photos: readonly TilePhoto[]): void {
  library.setActive(new ResultSequence(photos));
}
