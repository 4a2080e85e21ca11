// Automatic albums: what the modules that read and write them share: the library they work on, the parameters a
// regeneration records, the shape of an album in its result, and the batch size of statements. Apart so that the
// regeneration (auto.ts) and its parts import these without importing each other.
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import type { MlServices } from '../../ml/services.js';
import type { OwnerView } from '../../scope/rows.js';
import type { AutoClusteringParams } from './auto-clustering-params.js';

/** What automatic albums need of a library; the pipeline's runner has it too (without the owner). */
export interface AutoAlbumsContext {
  db: Db;
  ml: MlServices;
  logger: Logger;
}

/** A view of one owner's library (library/actors.ts makes it) as automatic albums use it. */
export interface AutoAlbumsLibrary extends AutoAlbumsContext, OwnerView {
  db: Db;
}

/** Photos per statement when members are read or written. */
export const BATCH = 5000;

export type RegenerateParams = Pick<AutoClusteringParams, 'minSize' | 'minSimilarity' | 'timeGapDays'>;

export type AlbumChange = 'created' | 'updated' | 'unchanged';

export interface AutoAlbumResult {
  id: string;
  name: string;
  description: string | null;
  tags: string[];
  primaryCategory: string | null;
  nameSource: string | null;
  /** Photos this run put in it. */
  photoCount: number;
  /** Most central first: what the caption endpoint was shown (or would be). */
  representativeIds: string[];
  start: Date | null;
  end: Date | null;
  place: string | null;
  change: AlbumChange;
}
