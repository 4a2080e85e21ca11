// Shared shapes of the media layer: what decoders, hashers and metadata readers hand each other.

/** Interleaved 8-bit pixels, as decoded. channels: 1 = grey, 3 = RGB, 4 = RGBA. */
export interface RawPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** The metadata a photo carries, under the field names the API and `inspect --json` use. */
export interface PhotoMetadata {
  /** ISO 8601 with offset when the offset is known (e.g. 2021-03-04T10:20:30+01:00), else without; null if no date. */
  takenAt: string | null;
  /** IANA zone name (Europe/Paris) or a fixed offset (+01:00), or null when unknown. */
  timeZone: string | null;
  latitude: number | null;
  longitude: number | null;
  /** EXIF orientation 1..8, or null when absent. */
  orientation: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  /** 0..5 (−1 = rejected in some tools), or null. */
  rating: number | null;
  /** Flat and hierarchical keywords (hierarchical as "a/b/c"), de-duplicated, in file order. */
  keywords: string[];
  description: string | null;
}

export interface PaletteColour {
  hex: string; // "#rrggbb"
  share: number; // 0..1, shares of a palette add up to ~1
}

export interface PdqResult {
  hash: string; // 64 lowercase hex digits
  quality: number; // 0..100
}
