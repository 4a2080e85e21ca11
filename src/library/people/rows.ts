// Rows of people that both the user's operations (people.ts) and the automatic clustering (people-clustering.ts)
// write: a person found or made by name, and unnamed people left without faces.
import { and, sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { people } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import { owns, ownsSql, type OwnerView } from '../../scope/rows.js';

/** A person's name as stored: trimmed, runs of spaces as one. */
export const cleanName = (name: string) => name.trim().replace(/\s+/g, ' ');

/** The owner's person with this name (whatever its case), or a new one. */
export async function personIdByName(owner: OwnerView, name: string): Promise<string> {
  const clean = cleanName(name);
  if (!clean) throw new UserError('invalid', 'a person needs a non-empty name');
  const [existing] = await owner.db
    .select({ id: people.id })
    .from(people)
    .where(and(owns(owner, people), sql`lower(${people.name}) = lower(${clean})`))
    .orderBy(people.createdAt)
    .limit(1);
  if (existing) return existing.id;
  const [created] = await owner.db.insert(people).values({ ownerId: owner.ownerId, name: clean }).returning({ id: people.id });
  return created!.id;
}

/** Of these people, the unnamed ones left without a face (their faces' photo went) go too. */
export async function dropPeopleLeftEmpty(db: Db, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.execute(
    sql`delete from people pe where pe.id = any(${uuidArray(personIds)}) and pe.name is null
          and not exists (select 1 from faces f where f.person_id = pe.id)`,
  );
}

/** Unnamed people left without faces (their faces moved or went) are gone; named ones are the user's. */
export async function dropEmptyPeople(owner: OwnerView): Promise<number> {
  const removed = await rows<{ id: string }>(
    owner.db,
    sql`delete from people pe where ${ownsSql(owner, 'pe')} and pe.name is null
          and not exists (select 1 from faces f where f.person_id = pe.id)
        returning pe.id`,
  );
  return removed.length;
}
