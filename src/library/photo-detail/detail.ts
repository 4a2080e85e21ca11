// A photo with everything known about it, as the photo page shows it: its rows, what the AI steps found, its albums,
// duplicate group and stack, and the names the file gives that no face carries. A view over the aggregates: the core
// (library/photos/) stays below people, duplicates, stacks and categories.
import { asc, desc, eq, sql } from 'drizzle-orm';
import { photoCaptions, photoCodes, photoObjects, photoOcr, photoSteps, photoTags, type PhotoRow, type StepRow } from '../../db/schema.js';
import { rows } from '../../db/connection.js';
import { browserPlayable } from '../../media/video/playable.js';
import { STEP_NAMES, STEPS_A_LIBRARY_LEAVES_OUT, type StepName, type StepsLeftOut, type StepStatus } from '../../model/photo-state.js';
import { activeEdit } from '../../model/photo-edit.js';
import { fuseTags } from '../../model/tag-fusion.js';
import { ownsSql } from '../../scope/rows.js';
import { albumVisible } from '../../scope/access.js';
import type { Library } from '../library.js';
import { findVisiblePhoto } from '../photos/photos.js';
import { photoListItem } from '../photos/list.js';
import { stackOfPhoto } from '../photos/stack-covers.js';
import { categoriesOfPhotos } from '../categories/categories.js';
import { listFaces } from '../people/people.js';
import { namesNotOnFaces } from '../people/hints.js';
import { sidecarKind } from '../../storage/keys.js';
import { objectTagName } from '../../model/object-classes.js';

export function photoMetadata(photo: PhotoRow) {
  return {
    takenAt: photo.takenAtText,
    timeZone: photo.timeZone,
    latitude: photo.latitude,
    longitude: photo.longitude,
    orientation: photo.orientation,
    make: photo.make,
    model: photo.model,
    lens: photo.lens,
    rating: photo.rating,
    keywords: photo.keywords,
    description: photo.description,
    place:
      photo.placeSource === null
        ? null
        : {
            city: photo.placeCity,
            state: photo.placeState,
            country: photo.placeCountry,
            countryCode: photo.placeCountryCode,
            source: photo.placeSource as 'metadata' | 'geocoded',
          },
  };
}

/**
 * The item's steps, in pipeline order: those it has a row for, and the others as pending. A step its library may leave
 * out is none of its work without a row; one the library leaves out now is not shown, even done from before.
 */
export function stepSummary(stepRows: StepRow[], leftOut: StepsLeftOut) {
  const byName = new Map(stepRows.map((row) => [row.step, row]));
  const shown = STEP_NAMES.filter((name) => !(name in leftOut) && (byName.has(name) || !STEPS_A_LIBRARY_LEAVES_OUT.includes(name)));
  return Object.fromEntries(
    shown.map((name) => {
      const row = byName.get(name);
      return [
        name,
        {
          status: (row?.status ?? 'pending') as StepStatus,
          error: row?.error ?? null,
          durationMs: row?.durationMs ?? null,
          version: row?.version ?? null,
          attempts: row?.attempts ?? 0,
          finishedAt: row?.finishedAt ? row.finishedAt.toISOString() : null,
        },
      ];
    }),
  ) as Partial<
    Record<
      StepName,
      { status: StepStatus; error: string | null; durationMs: number | null; version: string | null; attempts: number; finishedAt: string | null }
    >
  >;
}

/**
 * A photo with everything known about it, for any photo the user may see. Someone else's photo (a partner's, or
 * in a shared album) is read as its owner sees it, less what is theirs alone: the path it came from, its
 * duplicate group, the albums not shared with the user, and which of the owner's people a face is (the name drawn
 * on the photo stays).
 */
export async function getPhotoDetail(lib: Library, id: string) {
  const found = await findVisiblePhoto(lib, id);
  if (!found) return null;
  const { photo, access } = found;
  const [stepRows, leftOut, analysis, albumList, duplicateGroup, stack] = await Promise.all([
    lib.db.select().from(photoSteps).where(eq(photoSteps.photoId, id)),
    lib.stepsLeftOut(),
    photoAnalysis(lib, id),
    // the active albums it is in that the user may open, manual and automatic
    rows<{ id: string; name: string; kind: 'manual' | 'auto' }>(
      lib.db,
      sql`select a.id, a.name, a.kind from album_photos ap join albums a on a.id = ap.album_id
          where ap.photo_id = ${id}::uuid and a.status = 'active'
            and ${albumVisible(lib, 'a')}
          order by lower(a.name), a.id`,
    ),
    access.own ? groupOfPhoto(lib, id) : null,
    access.own ? stackOfPhoto(lib, id) : null,
  ]);
  return {
    ...photoListItem(photo),
    owner: { id: access.ownerId, name: access.ownerName, you: access.own },
    sha256: photo.sha256,
    video: photo.video ? { ...photo.video, playsAsIs: browserPlayable(photo.video).playable } : null,
    edit: activeEdit(photo.edit),
    sourcePath: access.own ? photo.sourcePath : null,
    hasSidecar: photo.sidecarKey !== null,
    sidecar: photo.sidecarKey === null ? null : sidecarKind(photo.sidecarKey),
    updatedAt: photo.updatedAt.toISOString(),
    metadata: photoMetadata(photo),
    pdq: photo.pdqHash ? { hash: photo.pdqHash, quality: photo.pdqQuality ?? 0 } : null,
    palette: photo.palette ?? null,
    // another user sees how a shared image was made, but not which of its owner's photos it came from
    provenance: photo.provenance && !access.own ? { ...photo.provenance, sourcePhotoId: null, productPhotoId: undefined } : photo.provenance,
    steps: stepSummary(stepRows, leftOut),
    ...analysis,
    faces: access.own ? analysis.faces : analysis.faces.map((face) => ({ ...face, personId: null, assignedBy: null })),
    albums: albumList,
    duplicateGroup,
    stack,
    peopleHints: namesNotOnFaces(
      photo.peopleNamed ?? [],
      analysis.faces,
      (photo.faceRegions ?? []).map((region) => region.name),
    ),
  };
}

/** The order in which a tier ties photos together most closely. */
const TIER_STRENGTH = sql`array_position(array['pdq', 'clip', 'burst'], m.tier)`;

/**
 * The duplicate group the photo is in, else its burst, else null: its id, kind, keeper and size, and the tier
 * that ties the photo to it. The photo that started a group (tier `first`) is tied by its closest member's.
 */
async function groupOfPhoto(lib: Library, id: string) {
  const [group] = await rows<{ id: string; kind: 'duplicate' | 'burst'; tier: string; closest: string | null; keeper_id: string | null; size: number }>(
    lib.db,
    sql`select g.id, g.kind, g.keeper_id, own.tier,
          (select count(*)::int from duplicate_members m where m.group_id = g.id) as size,
          (select m.tier from duplicate_members m where m.group_id = g.id and m.photo_id <> own.photo_id and m.tier <> 'first'
           order by ${TIER_STRENGTH}, m.pdq_distance nulls last, m.similarity desc nulls last limit 1) as closest
        from duplicate_members own join duplicate_groups g on g.id = own.group_id
        where own.photo_id = ${id}::uuid and ${ownsSql(lib, 'g')}
        order by (g.kind <> 'duplicate') limit 1`,
  );
  if (!group) return null;
  return {
    id: group.id,
    kind: group.kind,
    tier: group.tier === 'first' ? (group.closest ?? group.kind) : group.tier,
    keeperId: group.keeper_id,
    size: group.size,
  };
}

/** What the AI steps found: faces with their people, objects, tags (CLIP's and the objects' fused), categories, text, codes, caption, embedding model. */
async function photoAnalysis(lib: Library, id: string) {
  const [faceList, clipTags, objects, categoryMap, [ocr], codes, [caption], [embedding]] = await Promise.all([
    listFaces(lib, { photoId: id }),
    lib.db.select({ name: photoTags.tag, confidence: photoTags.confidence, source: photoTags.source }).from(photoTags).where(eq(photoTags.photoId, id)),
    lib.db
      .select({
        label: photoObjects.label,
        confidence: photoObjects.confidence,
        x: photoObjects.x,
        y: photoObjects.y,
        width: photoObjects.width,
        height: photoObjects.height,
      })
      .from(photoObjects)
      .where(eq(photoObjects.photoId, id))
      .orderBy(desc(photoObjects.confidence), asc(photoObjects.label)),
    categoriesOfPhotos(lib.db, [id]),
    lib.db.select().from(photoOcr).where(eq(photoOcr.photoId, id)),
    lib.db
      .select({ format: photoCodes.format, text: photoCodes.text, x: photoCodes.x, y: photoCodes.y, width: photoCodes.width, height: photoCodes.height })
      .from(photoCodes)
      .where(eq(photoCodes.photoId, id))
      .orderBy(asc(photoCodes.y), asc(photoCodes.x)),
    lib.db.select().from(photoCaptions).where(eq(photoCaptions.photoId, id)),
    rows<{ model: string; dimensions: number }>(lib.db, sql`select model, vector_dims(embedding) as dimensions from photo_embeddings where photo_id = ${id}`),
  ]);
  return {
    faces: faceList,
    objects: objects.map(({ label, confidence, ...box }) => ({ label, confidence, box })),
    tags: fuseTags([...clipTags, ...objects.map((o) => ({ name: objectTagName(o.label), confidence: o.confidence, source: 'objects' }))]),
    categories: categoryMap.get(id) ?? [],
    ocr: ocr ? { text: ocr.text, confidence: ocr.confidence, languages: ocr.languages, words: ocr.words ?? [] } : null,
    codes: codes.map(({ format, text, ...box }) => ({ format, text, box })),
    caption: caption
      ? {
          caption: caption.caption,
          description: caption.description,
          primaryCategory: caption.primaryCategory,
          tags: caption.tags,
          detectedObjects: caption.detectedObjects,
          sceneType: caption.sceneType,
          suggestedClusterName: caption.suggestedClusterName,
          qualityGrade: caption.qualityGrade,
          qualityReason: caption.qualityReason,
          source: caption.source,
          model: caption.model,
        }
      : null,
    embedding: embedding ? { model: embedding.model, dimensions: embedding.dimensions } : null,
  };
}
