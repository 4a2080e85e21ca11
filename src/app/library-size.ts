// The library's size as a server knows it, counted now and then (never per request), and the notice an embedded
// library past what its database was measured to serve gets (model/embedded-size.ts).
import type { Db } from '../db/connection.js';
import { countLibraryPhotos } from '../library/photos/index.js';
import { embeddedSizeNotice, type EmbeddedSizeNotice } from '../model/embedded-size.js';

/** How old a count may get before a look counts again: other owners' imports show within this. */
export const SIZE_RECOUNT_MS = 10 * 60 * 1000;

declare module 'fastify' {
  interface FastifyInstance {
    /** The whole library's size, for admins' notice that the embedded database has outgrown it. */
    librarySize?: LibrarySize;
  }
}

export class LibrarySize {
  private photos: number | null = null;
  private countedAt = 0;
  /** What each admin's last look brought (their own photos' count), to count again as soon as it moves. */
  private readonly seen = new Map<string, number>();
  private counting: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly engine: 'embedded' | 'postgres',
    private readonly comfortable: number,
    private readonly recountMs: number = SIZE_RECOUNT_MS,
  ) {}

  /** Counts every owner's photos now (one count at a time: looks at once share it). */
  count(): Promise<number> {
    this.counting ??= countLibraryPhotos(this.db)
      .then((photos) => {
        this.photos = photos;
        this.countedAt = Date.now();
        return photos;
      })
      .finally(() => (this.counting = null));
    return this.counting;
  }

  /**
   * The notice, or null (a PostgreSQL library, or one within the size). From the last count while it is recent and
   * what `seen` says — a figure the admin read anyway, their own photos' count — has not moved since their last look:
   * an admin's import shows at their next look, other owners' within SIZE_RECOUNT_MS. Kept per admin, so that two
   * admins' different counts do not have each other's looks count again.
   */
  async notice(seen?: { who: string; photos: number }): Promise<EmbeddedSizeNotice | null> {
    if (this.engine !== 'embedded') return null;
    const before = seen && this.seen.get(seen.who);
    const moved = seen !== undefined && before !== undefined && before !== seen.photos;
    if (seen) this.seen.set(seen.who, seen.photos);
    const photos = this.photos === null || moved || Date.now() - this.countedAt > this.recountMs ? await this.count() : this.photos;
    return embeddedSizeNotice(this.engine, photos, this.comfortable);
  }
}
