// One tag a name, whichever models found it: CLIP's zero-shot tags (photo_tags) and the detector's objects
// (photo_objects) fused as the photo page and the API show them. Pure.

export interface FusedTag {
  name: string;
  /** The best confidence any model gave it. */
  confidence: number;
  /** The models that found it (`clip`, `objects`), the most confident first. */
  sources: string[];
}

/** The tags of a photo: each name once, with its best confidence and every model that found it; most confident first. */
export function fuseTags(tags: readonly { name: string; confidence: number; source: string }[]): FusedTag[] {
  const byName = new Map<string, { name: string; found: { confidence: number; source: string }[] }>();
  for (const tag of tags) {
    const entry = byName.get(tag.name) ?? { name: tag.name, found: [] };
    const same = entry.found.find((f) => f.source === tag.source);
    if (same) same.confidence = Math.max(same.confidence, tag.confidence);
    else entry.found.push({ confidence: tag.confidence, source: tag.source });
    byName.set(tag.name, entry);
  }
  return [...byName.values()]
    .map(({ name, found }) => {
      found.sort((a, b) => b.confidence - a.confidence);
      return { name, confidence: found[0]!.confidence, sources: found.map((f) => f.source) };
    })
    .sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
}
