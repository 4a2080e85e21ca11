// The tags detected objects count as, in SQL: a detection's class (in CLIP's name) at any score, its parents only
// from BROADER_WORDS_CUT (model/object-classes.ts). Read by the search rows, the categories and the category filter.
import { sql } from 'drizzle-orm';
import { BROADER_WORDS_CUT, OBJECT_CLASSES, objectTagName, objectTags } from '../model/object-classes.js';

/** Each class's tags with the least score a detection needs to count as it. */
export const OBJECT_TAGS = JSON.stringify(
  OBJECT_CLASSES.flatMap((c) => objectTags(c.name).map((tag) => ({ label: c.name, tag, least: tag === objectTagName(c.name) ? 0 : BROADER_WORDS_CUT }))),
);

/** Rows (photo_id, tag): every tag a photo's detected objects count as. */
export const DETECTED_OBJECT_TAGS = sql`(select po.photo_id, w.tag from photo_objects po
  join jsonb_to_recordset(${OBJECT_TAGS}::jsonb) as w(label text, tag text, least real) on w.label = po.label and po.confidence >= w.least)`;
