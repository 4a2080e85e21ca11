// How large a library the embedded database (PGlite) was measured to serve within the targets, and what a server
// says past it: one decision and one wording, for the web app (through /api/health), `shoebox serve` and `shoebox jobs`.

/**
 * The largest library (photos of every owner, the trash left out) the embedded database was measured to serve
 * within issue 62's targets (hybrid search p95 ≤ 50 ms with recall@20 ≥ 0.95, keyword p95 ≤ 50 ms, pages p95 ≤
 * 100 ms): 100k, the largest size measured on it (bench/README.md, "Where the embedded engine stops";
 * docs/DECISIONS.md). Past it nothing breaks, but nothing measured says it stays quick.
 */
export const EMBEDDED_COMFORTABLE_PHOTOS = 100_000;

/** The command that moves an embedded library to PostgreSQL (and its files to S3), as `shoebox migrate --help` spells it. */
export const MIGRATE_COMMAND = 'shoebox migrate --to postgres://… [--storage s3://…]';

/** Where the sizes and the move are explained. */
export const SIZE_DOCS = 'docs/engines.md#how-large-the-embedded-database-goes';

export interface EmbeddedSizeNotice {
  /** Photos in the library, every owner's, the trash left out (as last counted). */
  photos: number;
  /** The size the embedded database was measured to serve within the targets. */
  comfortable: number;
  /** The sentence the web app, the server's log and the CLI print. */
  message: string;
  command: string;
  docs: string;
}

const figure = (n: number) => n.toLocaleString('en-US');

/**
 * The notice for a library of `photos` on `engine`, or null: only an embedded library past `comfortable` gets one
 * (a PostgreSQL library is already where the notice would send it).
 */
export function embeddedSizeNotice(
  engine: 'embedded' | 'postgres',
  photos: number,
  comfortable: number = EMBEDDED_COMFORTABLE_PHOTOS,
): EmbeddedSizeNotice | null {
  if (engine !== 'embedded' || photos <= comfortable) return null;
  const message =
    `This library holds ${figure(photos)} photos, more than the ${figure(comfortable)} the embedded database was measured to serve quickly: ` +
    `search and the pages that list photos (the timeline, map, people, albums, memories) may slow down. ` +
    `Move it to PostgreSQL with \`${MIGRATE_COMMAND}\` (${SIZE_DOCS}).`;
  return { photos, comfortable, message, command: MIGRATE_COMMAND, docs: SIZE_DOCS };
}
