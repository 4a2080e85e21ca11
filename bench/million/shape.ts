// What a generated library of N photos holds, as pure figures: the owners and their sizes, the people, albums and
// duplicate groups each gets. Everything scales with N from the 1M library issue 62 describes (one owner of 600k,
// then 250k, 100k, 40k, 9k, 1k; ~5,000 people for the largest; an album of 50k), so a small run has the same shape.

/** Owners' shares of the library at 1M photos, largest first (sums to 1). */
export const OWNER_SHARES = [0.6, 0.25, 0.1, 0.04, 0.009, 0.001] as const;

export const FIRST_YEAR = 2006;
export const YEARS = 20;
/** Share of items that are videos, with a place (GPS + names), with faces. */
export const VIDEO_SHARE = 0.08;
export const PLACE_SHARE = 0.4;
export const FACE_SHARE = 0.3;
/** Share of a face that is someone the owner named (the rest: strangers, no person). */
export const NAMED_FACE_SHARE = 0.8;
/** Share of photos that are near-copies of the photo before them (a duplicate group waiting for review). */
export const DUPLICATE_SHARE = 0.02;

export interface OwnerShape {
  /** 0 for the largest: it is the library's own `local` owner, whose API key the page measurements use. */
  index: number;
  name: string;
  email: string | null;
  photos: number;
  people: number;
  /** Photos in the owner's big album (50k at 1M for the largest), then in each of its small albums. */
  bigAlbum: number;
  smallAlbums: number;
}

/** The owners of a library of `n` photos (every one has at least one photo). */
export function ownersOf(n: number): OwnerShape[] {
  const sizes = OWNER_SHARES.map((share) => Math.max(1, Math.round(share * n)));
  // the rounding error goes to the largest owner, so the sizes sum to n exactly
  sizes[0]! += n - sizes.reduce((a, b) => a + b, 0);
  return sizes.map((photos, index) => ({
    index,
    name: index === 0 ? 'local' : `owner${index}`,
    email: index === 0 ? null : `owner${index}@bench.example`,
    photos,
    // ~5,000 people for 600k photos: one person for every 120 photos, at least 3
    people: Math.max(3, Math.round(photos / 120)),
    bigAlbum: Math.round(photos / 12),
    smallAlbums: 12,
  }));
}

/**
 * Which owner each next photo belongs to: the owner furthest behind its share, so that every load chunk holds every
 * owner's photos and each owner ends with exactly its size.
 */
export function ownerSequence(owners: readonly OwnerShape[]): () => number {
  const total = owners.reduce((a, o) => a + o.photos, 0);
  const given = owners.map(() => 0);
  let made = 0;
  return () => {
    made += 1;
    let best = 0;
    let behind = -Infinity;
    owners.forEach((owner, i) => {
      const lag = (owner.photos * made) / total - given[i]!;
      if (given[i]! < owner.photos && lag > behind) [best, behind] = [i, lag];
    });
    given[best]! += 1;
    return best;
  };
}

/** Cumulative weights of the 20 years: a phone era takes more photos each year (the last year ~3× the first). */
export function yearCdf(): number[] {
  const w = Array.from({ length: YEARS }, (_, i) => 1 + i * 0.1);
  const sum = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / sum));
}
