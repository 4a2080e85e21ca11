import type { Settings } from '../config/settings.js';
import type { GroupKind } from '../library/duplicates/index.js';
import type { DuplicateGroup } from '../library/duplicate-review/index.js';
import { allPages, throughServerOrLibrary } from './listing.js';

export interface DuplicatesFlags {
  kind?: GroupKind;
  json?: boolean;
  server?: string;
}

const PAGE = 200;

/**
 * The member's measure in the web app's words (web/src/components/duplicates/evidence.ts), so that a pair reads
 * the same here, on the duplicates page and on the photo page: "6 of 256 bits apart", "96.5% similar", "2 s apart".
 * First what the suggestion does with it in a duplicate group: `keep` (the best shot), `keep too` (a RAW, a version
 * of one shot, more than the best shot has: never proposed for the trash), or `trash`.
 */
export function evidence(member: DuplicateGroup['members'][number], group: DuplicateGroup): string {
  const fate =
    group.kind !== 'duplicate'
      ? member.suggestedKeeper
        ? 'keep'
        : null
      : member.suggestedKeeper
        ? 'keep'
        : group.suggestedKeep.includes(member.photo.id)
          ? 'keep too'
          : 'trash';
  const parts: string[] = fate ? [fate] : [];
  if (member.tier === 'burst') {
    const other = group.members.find((m) => m.photo.id === member.matchedPhotoId);
    const a = member.photo.takenAt ? Date.parse(member.photo.takenAt) : NaN;
    const b = other?.photo.takenAt ? Date.parse(other.photo.takenAt) : NaN;
    parts.push(Number.isNaN(a) || Number.isNaN(b) ? 'burst' : `burst ${Math.round(Math.abs(a - b) / 1000)} s apart`);
  } else if (member.tier === 'clip' && member.similarity !== null) {
    parts.push(`${Math.round(member.similarity * 1000) / 10}% similar`);
  } else if (member.pdqDistance !== null) {
    const turned = member.pdqOrientation && member.pdqOrientation !== 'original' ? ` ${member.pdqOrientation}` : '';
    parts.push(`${member.pdqDistance === 0 ? 'identical hash' : `${member.pdqDistance} of 256 bits apart`}${turned}`);
  } else {
    parts.push(member.tier);
  }
  return parts.join(' · ');
}

function print(groups: DuplicateGroup[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ items: groups }, null, 2)}\n`);
    return;
  }
  if (groups.length === 0) {
    process.stderr.write('No duplicate groups.\n');
    return;
  }
  for (const group of groups) {
    process.stdout.write(`${group.kind} ${group.id} (${group.members.length} photos)\n`);
    for (const member of group.members) {
      const size = member.photo.width && member.photo.height ? `${member.photo.width}×${member.photo.height}` : '?';
      const why = member.keptBecause ? `  (${member.keptBecause})` : '';
      process.stdout.write(`  ${evidence(member, group).padEnd(30)} ${size.padStart(11)}  ${member.photo.filename}  ${member.photo.id}${why}\n`);
    }
  }
  const copies = groups.filter((g) => g.kind === 'duplicate').length;
  process.stderr.write(`${copies} duplicate groups, ${groups.length - copies} bursts\n`);
}

/** `shoebox duplicates`: the groups waiting for review, each member with the evidence that put it there. */
export async function runDuplicates(settings: Settings, flags: DuplicatesFlags): Promise<void> {
  const groups = await throughServerOrLibrary(
    settings,
    flags.server,
    'duplicates',
    (client) => allPages((page) => client.duplicates({ page: String(page), limit: String(PAGE), ...(flags.kind ? { kind: flags.kind } : {}) })),
    async (lib) => {
      const { listDuplicateGroups } = await import('../library/duplicate-review/index.js');
      return allPages((page) => listDuplicateGroups(lib, { kind: flags.kind, page, limit: PAGE }));
    },
  );
  print(groups, Boolean(flags.json));
}
