// Words the API takes for photos, timelines and product sets: plain lists, so that the API's schemas, the web
// app's contract and the CLI can name them without loading the database or the library code that uses them.

/** How the timeline groups photos: `day` (YYYY-MM-DD) or `month` (YYYY-MM) buckets. */
export const TIMELINE_GROUPINGS = ['day', 'month'] as const;
export type TimelineGrouping = (typeof TIMELINE_GROUPINGS)[number];

/** Where a photo came from: `generated` by image generation, `camera` for all the others. */
export const PHOTO_ORIGINS = ['camera', 'generated'] as const;
export type PhotoOrigin = (typeof PHOTO_ORIGINS)[number];

/** The shots a product set can have, by number: 1 white background, 2 held in a hand, 3 with its dimensions, 4 lifestyle, 5 worn by a model. */
export const SHOT_TYPES = ['white', 'hand', 'dimensions', 'lifestyle', 'model'] as const;
export type ShotType = (typeof SHOT_TYPES)[number];
