// The stacks of an export's photos as `photos.json` carries them: those made or changed by hand, by their photos'
// files, and the pairs taken apart by hand; asked of the source a page of photos at a time.
import type { ExportedStack } from '../../media/photos-file.js';
import { MAX_PHOTOS_ASKED, type HandStack, type HandStacks } from '../stacks/by-hand.js';

/** What was done by hand to the stacks of some photos, by the library or a server (`POST /api/stacks/by-hand`). */
export type AskHandStacks = (photoIds: readonly string[]) => Promise<HandStacks>;

/** The stack by its files: the members exported (one left out of the export is not in it), its cover's file. */
function asExported(stack: HandStack, fileOf: ReadonlyMap<string, string>): ExportedStack | null {
  const files = stack.members.flatMap((member) => fileOf.get(member.photoId) ?? []);
  if (files.length < 2) return null;
  return {
    files,
    kind: stack.kind,
    byHand: stack.members.some((member) => member.reason === 'by-user'),
    cover: (stack.coverId && fileOf.get(stack.coverId)) ?? null,
    coverByHand: stack.coverByUser,
  };
}

/** The hand-made stacks and pairs apart among the photos exported (`fileOf`: each photo's first file). */
export async function exportedStacks(ask: AskHandStacks, fileOf: ReadonlyMap<string, string>): Promise<{ stacks: ExportedStack[]; apart: [string, string][] }> {
  const ids = [...fileOf.keys()];
  const stacks = new Map<string, HandStack>();
  const apart = new Map<string, [string, string]>();
  for (let i = 0; i < ids.length; i += MAX_PHOTOS_ASKED) {
    const found = await ask(ids.slice(i, i + MAX_PHOTOS_ASKED));
    for (const stack of found.stacks) stacks.set(stack.id, stack);
    for (const [a, b] of found.apart) {
      const fileA = fileOf.get(a);
      const fileB = fileOf.get(b);
      if (fileA && fileB) apart.set(`${a}|${b}`, [fileA, fileB]);
    }
  }
  return { stacks: [...stacks.values()].flatMap((stack) => asExported(stack, fileOf) ?? []), apart: [...apart.values()] };
}
