// What the user did by hand to the stacks of an exported library, done again on its import: the rules stack the
// photos as they are processed (a RAW and its JPEG, a burst), so this runs once they are, and through what the user's
// own hands use (POST /api/stacks, moving a photo out, unstacking, picking the cover): stacks made by hand are made
// again, the pairs taken apart are taken apart again where the rules put them back, and the covers picked are picked.
import type { ExportRead, PhotoOfFile } from './exported.js';
import type { ShoeboxClient } from './client.js';
import { counted } from '../base/plural.js';

/** A user's hands on their stacks, through a server or the library. */
export interface StackHands {
  /** The stack a photo is in, with its photos; null when in none. */
  stackOf(photoId: string): Promise<{ id: string; photoIds: string[] } | null>;
  stackTogether(photoIds: string[]): Promise<void>;
  unstack(stackId: string): Promise<void>;
  moveOut(stackId: string, photoId: string): Promise<void>;
  setCover(stackId: string, photoId: string): Promise<void>;
}

/** Whether the export says anything of its stacks (an export from before them says nothing). */
export function hasStackFacts(exported: ExportRead): boolean {
  return exported.stacks.length > 0 || exported.apart.length > 0;
}

/** The photos imported that its stacks concern: those to be processed (stacked by the rules) before they are restored. */
export function stackedPhotos(exported: ExportRead, photoOf: PhotoOfFile): string[] {
  const files = [...exported.stacks.flatMap((stack) => stack.files), ...exported.apart.flat()];
  return [...new Set(files.flatMap((file) => photoOf(file) ?? []))];
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The members of a stack to move out, one at a time, until no two of them are apart: the one apart from the most
 * others first (one moved out of a stack is apart from all its photos); empty with `unstack` when every pair is apart.
 */
export function takingApart(members: readonly string[], apart: ReadonlySet<string>): { unstack: boolean; moveOut: string[] } {
  const isApart = (a: string, b: string) => apart.has(`${a}|${b}`) || apart.has(`${b}|${a}`);
  let left = [...members];
  const moveOut: string[] = [];
  for (;;) {
    const counts = left.map((a) => left.filter((b) => b !== a && isApart(a, b)).length);
    const pairs = counts.reduce((sum, n) => sum + n, 0) / 2;
    if (pairs === 0) return { unstack: false, moveOut };
    if (moveOut.length === 0 && pairs === (left.length * (left.length - 1)) / 2) return { unstack: true, moveOut };
    const most = counts.indexOf(Math.max(...counts));
    moveOut.push(left[most]!);
    left = left.filter((_, i) => i !== most);
  }
}

/**
 * Makes the export's stacks again (after the import's photos were processed): its stacks made by hand, with what of
 * them was imported (a file not in the folder is left out, and said); then its pairs apart, where the rules stacked
 * them; then the covers picked. One refused is said, and the rest go on. Writes its report to stderr.
 */
export async function restoreStacks(exported: ExportRead, photoOf: PhotoOfFile, hands: StackHands): Promise<void> {
  const problems: string[] = [];
  const attempt = (what: string, act: () => Promise<void>) =>
    act().then(
      () => true,
      (error: unknown) => (problems.push(`  ${what} not restored: ${messageOf(error)}`), false),
    );
  let made = 0;
  for (const stack of exported.stacks.filter((s) => s.byHand)) {
    const ids = [...new Set(stack.files.flatMap((file) => photoOf(file) ?? []))];
    const lost = stack.files.filter((file) => !photoOf(file));
    const what = `the stack of ${stack.files.length} with ${stack.files[0]}`;
    const named = `${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ` and ${lost.length - 5} more` : ''}`;
    if (ids.length < 2) {
      problems.push(`  ${what} not restored: ${counted(lost.length, 'file')} of it not imported (${named})`);
      continue;
    }
    if (await attempt(what, () => hands.stackTogether(ids))) made++;
    if (lost.length > 0) problems.push(`  ${what}: made without ${named}, not imported`);
  }
  const apart = new Set(exported.apart.flatMap(([a, b]) => (photoOf(a) && photoOf(b) ? [`${photoOf(a)}|${photoOf(b)}`] : [])));
  const seen = new Set<string>();
  let takenApart = 0;
  for (const id of [...new Set([...apart].flatMap((pair) => pair.split('|')))]) {
    const stack = await hands.stackOf(id);
    if (!stack || seen.has(stack.id)) continue;
    seen.add(stack.id);
    const plan = takingApart(stack.photoIds, apart);
    if (plan.unstack && (await attempt(`taking apart the stack of ${stack.photoIds.length}`, () => hands.unstack(stack.id)))) takenApart++;
    for (const photo of plan.moveOut) if (await attempt(`moving ${photo} out of its stack`, () => hands.moveOut(stack.id, photo))) takenApart++;
  }
  let covers = 0;
  for (const stack of exported.stacks.filter((s) => s.coverByHand && s.cover !== null)) {
    const id = photoOf(stack.cover!);
    const found = id ? await hands.stackOf(id) : null;
    if (!id || !found) problems.push(`  the cover ${stack.cover} not restored: ${id ? 'it is in no stack' : 'not imported'}`);
    else if (await attempt(`the cover ${stack.cover}`, () => hands.setCover(found.id, id))) covers++;
  }
  const lines = [`Stacks read back from the export: made by hand ${made}, taken apart ${takenApart}, covers picked ${covers}.`, ...problems.slice(0, 50)];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** The user's hands on their stacks through a running server. */
export function serverStackHands(client: ShoeboxClient): StackHands {
  return {
    async stackOf(photoId) {
      const photo = await client.request<{ stack: { id: string } | null }>('GET', `/api/photos/${photoId}`);
      if (!photo.stack) return null;
      const stack = await client.request<{ id: string; members: { photo: { id: string } }[] }>('GET', `/api/stacks/${photo.stack.id}`);
      return { id: stack.id, photoIds: stack.members.map((member) => member.photo.id) };
    },
    stackTogether: async (photoIds) => void (await client.request('POST', '/api/stacks', { photoIds })),
    unstack: async (stackId) => void (await client.request('DELETE', `/api/stacks/${stackId}`)),
    moveOut: async (stackId, photoId) => void (await client.request('DELETE', `/api/stacks/${stackId}/photos/${photoId}`)),
    setCover: async (stackId, photoId) => void (await client.request('PUT', `/api/stacks/${stackId}/cover`, { photoId })),
  };
}
