// Automatic albums: names for the clusters of one regeneration. It reads what naming needs (captions, tags, the
// library's tag frequencies and categories) and calls the rules of auto-naming.ts: the caption endpoint when there
// is one, else the fallback from tags, dates and places. Apart because it is the regeneration's only talk with the
// caption endpoint, with its own caching and failure handling.
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { CaptionError, type CaptionErrorCode } from '../../ml/captions/index.js';
import { BATCH, type AutoAlbumsLibrary } from './auto-context.js';
import { dominantPlace } from './auto-describe.js';
import type { PlannedCluster } from './auto-matching.js';
import {
  characteristicTags,
  fallbackAlbumName,
  formatDateSpan,
  MIN_TAG_SHARE,
  nameAlbumWithProvider,
  type AlbumName,
  type AlbumNamingClient,
  type FallbackNameInput,
} from './auto-naming.js';
import type { Snapshot } from './auto-snapshot.js';
import { ownsSql } from '../../scope/rows.js';

/** Failures of the endpoint rather than of one reply. */
const ENDPOINT_FAILURES: ReadonlySet<CaptionErrorCode> = new Set(['auth', 'timeout', 'unavailable', 'http', 'bad-response']);

export interface Named {
  name: AlbumName;
  source: 'provider' | 'fallback';
}

/** Names clusters: the caption endpoint from representatives' captions when there is one, else tags, dates, places. */
export class Namer {
  private libraryTags: Promise<Pick<FallbackNameInput, 'libraryTagFrequency' | 'libraryPhotoCount' | 'tagCategories'>> | null = null;
  private readonly tagsOf = new Map<string, string[]>();
  /** By signature: a plan made again does not ask the endpoint again. */
  private readonly named = new Map<string, Promise<Named>>();
  private endpointDown = false;

  constructor(
    private readonly lib: AutoAlbumsLibrary,
    private readonly client: AlbumNamingClient | null,
    private readonly snapshot: Snapshot,
  ) {}

  name(cluster: PlannedCluster): Promise<Named> {
    let named = this.named.get(cluster.signature);
    if (!named) {
      named = this.compute(cluster);
      this.named.set(cluster.signature, named);
    }
    return named;
  }

  /**
   * The place an album is named after: the dominant city when there is one, else state, else country; it must
   * be where at least MIN_TAG_SHARE of the album's photos were taken (one geotagged photo of twenty says little).
   */
  placeOf(members: readonly string[]): { place: string | null; perPhoto: (string | null)[] } {
    const photos = members.map((id) => this.snapshot.byId.get(id));
    for (const level of ['city', 'state', 'country'] as const) {
      const values = photos.map((photo) => photo?.[level] ?? null);
      const place = dominantPlace(values);
      if (place === null) continue;
      const count = values.filter((v) => v?.replace(/\s+/g, ' ').trim() === place).length;
      if (count >= members.length * MIN_TAG_SHARE) return { place, perPhoto: values };
    }
    return { place: null, perPhoto: members.map(() => null) };
  }

  private async compute(cluster: PlannedCluster): Promise<Named> {
    await this.loadTags(cluster.members);
    const tags = cluster.members.map((id) => this.tagsOf.get(id) ?? []);
    const library = await (this.libraryTags ??= this.loadLibraryTags());
    const { place, perPhoto } = this.placeOf(cluster.members);
    const fallback = (): Named => ({
      name: fallbackAlbumName({ tags, start: cluster.start, end: cluster.end, places: perPhoto, ...library }),
      source: 'fallback',
    });
    if (!this.client || this.endpointDown) return fallback();
    const captions = await this.captionsOf(cluster.representatives);
    // Captions composed from tags say nothing the fallback does not read itself.
    if (captions.length === 0) return fallback();
    try {
      const name = await nameAlbumWithProvider(this.client, captions, {
        photoCount: cluster.members.length,
        dateSpan: formatDateSpan(cluster.start, cluster.end),
        place,
        tags: characteristicTags(tags, library),
      });
      return { name, source: 'provider' };
    } catch (error) {
      // An endpoint that is down, refuses the key or times out would do so for every album: not asked again
      // this run. A reply that did not validate is about this album only.
      if (error instanceof CaptionError && ENDPOINT_FAILURES.has(error.code)) this.endpointDown = true;
      this.lib.logger.warn(
        { err: error, photos: cluster.members.length, representatives: cluster.representatives, askingAgain: !this.endpointDown },
        'naming an automatic album through the caption endpoint failed: named from its tags, dates and places',
      );
      return fallback();
    }
  }

  /** Captions a caption model wrote for these photos, in their order (fallback captions left out). */
  private async captionsOf(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await rows<{ photo_id: string; caption: string }>(
      this.lib.db,
      sql`select photo_id, caption from photo_captions where photo_id = any(${uuidArray(ids)}) and source <> 'fallback' and btrim(caption) <> ''`,
    );
    const byId = new Map(found.map((row) => [row.photo_id, row.caption]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** Zero-shot and caption tags of photos not read yet. */
  private async loadTags(members: readonly string[]): Promise<void> {
    const missing = members.filter((id) => !this.tagsOf.has(id));
    for (const id of missing) this.tagsOf.set(id, []);
    for (let i = 0; i < missing.length; i += BATCH) {
      const ids = uuidArray(missing.slice(i, i + BATCH));
      const found = await rows<{ photo_id: string; tag: string }>(
        this.lib.db,
        sql`select photo_id, tag from photo_tags where photo_id = any(${ids})
            union all
            select photo_id, unnest(tags) as tag from photo_captions where photo_id = any(${ids})`,
      );
      for (const row of found) this.tagsOf.get(row.photo_id)!.push(row.tag);
    }
  }

  /** How many of the owner's live photos carry each tag, and the tag → category mapping. */
  private async loadLibraryTags() {
    const [frequency, count, mapping] = await Promise.all([
      rows<{ tag: string; n: number }>(
        this.lib.db,
        sql`select tag, count(distinct photo_id)::int as n from (
              select pt.photo_id, lower(regexp_replace(btrim(pt.tag), '\\s+', ' ', 'g')) as tag
              from photo_tags pt join photos p on p.id = pt.photo_id
              where ${ownsSql(this.lib, 'p')} and p.deleted_at is null
              union all
              select c.photo_id, lower(regexp_replace(btrim(x), '\\s+', ' ', 'g'))
              from photo_captions c join photos p on p.id = c.photo_id, unnest(c.tags) x
              where ${ownsSql(this.lib, 'p')} and p.deleted_at is null
            ) t where tag <> '' group by tag`,
      ),
      rows<{ n: number }>(this.lib.db, sql`select count(*)::int as n from photos where ${ownsSql(this.lib, 'photos')} and deleted_at is null`),
      rows<{ tag: string; name: string }>(
        this.lib.db,
        sql`select ct.tag, c.name from category_tags ct join categories c on c.id = ct.category_id
            where ${ownsSql(this.lib, 'c')} order by c.name, ct.tag`,
      ),
    ]);
    const tagCategories = new Map<string, string>();
    for (const row of mapping) {
      const tag = row.tag.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!tagCategories.has(tag)) tagCategories.set(tag, row.name);
    }
    return {
      libraryTagFrequency: new Map(frequency.map((row) => [row.tag, row.n])),
      libraryPhotoCount: count[0]?.n ?? 0,
      tagCategories,
    };
  }
}
