// The best-shot scores of stored photos: their measures (photos.quality) and their faces' focus, read in two queries.
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { baseName } from '../../media/shot-names.js';
import type { ImageQuality } from '../../model/image-quality.js';
import { scoreShot, type BestShotCandidate, type ShotFace, type ShotScore } from './score.js';

/** A photo as a group or a stack reads it to choose its best shot (size, file size, capture else upload time). */
export interface CandidateRow {
  photo_id: string;
  width: number | null;
  height: number | null;
  size_bytes: number | string;
  date: Date | string;
  /** Its file's name, where the caller reads it: an edit by its name is kept after its original at a tie. */
  filename?: string;
}

export function asCandidate(row: CandidateRow, shots: ReadonlyMap<string, ShotScore>): BestShotCandidate {
  return {
    photoId: row.photo_id,
    shot: shots.get(row.photo_id) ?? null,
    width: row.width,
    height: row.height,
    sizeBytes: Number(row.size_bytes),
    date: new Date(row.date),
    ...(row.filename === undefined ? {} : { edited: baseName(row.filename).edited }),
  };
}

/** Each photo's score (photos not found are left out). */
export async function loadShotScores(db: Db, photoIds: readonly string[]): Promise<Map<string, ShotScore>> {
  const scores = new Map<string, ShotScore>();
  if (photoIds.length === 0) return scores;
  const ids = uuidArray([...new Set(photoIds)]);
  const photoRows = await rows<{ id: string; quality: ImageQuality | null; width: number | null; height: number | null }>(
    db,
    sql`select id, quality, width, height from photos where id = any(${ids})`,
  );
  const faceRows = await rows<ShotFace & { photo_id: string }>(
    db,
    sql`select photo_id, x, y, width, height, sharpness, eyes_open as "eyesOpen" from faces where photo_id = any(${ids})`,
  );
  for (const photo of photoRows) {
    const faces = faceRows.filter((f) => f.photo_id === photo.id);
    scores.set(photo.id, scoreShot({ quality: photo.quality, width: photo.width, height: photo.height, faces }));
  }
  return scores;
}
