// The objects detector's settings and the version that names them: a photo detected under another version is
// detected again. The cut was chosen on the labelled corpus (bench/objects, docs/DECISIONS.md).
export const OBJECTS_SETTINGS = {
  modelFile: 'centernet.json',
  /** Scores under this are not kept (precision and recall per class at it: bench/README.md). */
  minScore: 0.25,
  /** Boxes of one class overlapping more than this are one object. */
  maxOverlap: 0.5,
} as const;

/** Names the model and the cut: `centernet@0.3`. */
export const OBJECTS_VERSION = `${OBJECTS_SETTINGS.modelFile.replace(/\.json$/, '')}@${OBJECTS_SETTINGS.minScore}`;
