import { listAllPeople, type Person } from '../../client/people.js';

const same = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Another person who already has this name (case and spacing aside): naming someone like that almost always
 * means they are the same person, so the pages offer to merge instead. From `people` when given, else asked.
 */
export async function findNamesake(personId: string, name: string, people?: Person[]): Promise<Person | null> {
  if (!name.trim()) return null;
  const candidates = people ?? (await listAllPeople({ includeHidden: true, named: true }));
  return candidates.find((other) => other.id !== personId && other.name !== null && same(other.name, name)) ?? null;
}
