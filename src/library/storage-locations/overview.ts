// What each storage location holds, for the admin: the set-up ones and any the library's rows name without one.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import type { StorageLocations } from '../../storage/locations.js';

export interface LocationUse {
  name: string | null;
  kind: 'local' | 's3' | null;
  address: string | null;
  configured: boolean;
  users: number;
  photos: number;
  bytes: number;
}

export async function storageOverview(db: Db, storage: StorageLocations): Promise<LocationUse[]> {
  const held = await rows<{ location: string | null; photos: number; bytes: number }>(
    db,
    sql`select storage_location as location, count(*)::int as photos, coalesce(sum(size_bytes), 0)::float8 as bytes
        from photos group by storage_location`,
  );
  const given = await rows<{ location: string | null; users: number }>(
    db,
    sql`select storage_location as location, count(*)::int as users from users group by storage_location`,
  );
  const configured = storage.describe();
  const named = new Set<string | null>([...configured.map((l) => l.name), ...held.map((h) => h.location), ...given.map((g) => g.location)]);
  return [...named]
    .sort((a, b) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)))
    .map((name) => {
      const info = configured.find((l) => l.name === name);
      const use = held.find((h) => h.location === name);
      return {
        name,
        kind: info?.kind ?? null,
        address: info?.address ?? null,
        configured: Boolean(info),
        users: given.find((g) => g.location === name)?.users ?? 0,
        photos: use?.photos ?? 0,
        bytes: Number(use?.bytes ?? 0),
      };
    });
}
