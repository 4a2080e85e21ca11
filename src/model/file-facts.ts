// What a photo's file says of how it was made, as stored with it (photos.encoding, photos.lineage) and read by the
// duplicates' rules to tell a source from its copies (library/duplicates/provenance.ts). Read by media/file-facts.ts.

/** How the file stores its pixels. */
export interface Encoding {
  /**
   * true: without loss (PNG in full colour, a lossless TIFF or WebP, BMP); false: a lossy encoding (JPEG, lossy WebP,
   * JPEG in a TIFF); null: the file does not say (HEIF, AVIF and JPEG XL can be either; a palette PNG or a GIF may be a
   * photo reduced to 256 colours).
   */
  lossless: boolean | null;
  /** Bits per channel (8, 10, 12, 16); null when the file does not say. */
  bitDepth: number | null;
}

/** What the file's own tags say of its making. */
export interface Lineage {
  /** The camera's maker notes are in it (an editor or a messenger usually drops them; they are in no other file). */
  makerNotes: boolean;
  /** The software that wrote it: EXIF Software, XMP CreatorTool, the agents of its XMP history (distinct, a few). */
  software: string[];
  /** XMP Media Management: this document's id, this saved instance's, and the id of the lineage's first document. */
  documentId: string | null;
  instanceId: string | null;
  originalDocumentId: string | null;
  /** XMP DerivedFrom: the document and instance ids of the file it was made from. */
  derivedFrom: string[];
}
