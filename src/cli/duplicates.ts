import type { Settings } from '../config/settings.js';
import type { GroupKind } from '../library/duplicates/groups.js';
import { listDuplicateGroups, type DuplicateGroup } from '../library/duplicates/review.js';
import { allPages, throughServerOrLibrary } from './listing.js';

export interface DuplicatesFlags {
  kind?: GroupKind;
  json?: boolean;
  server?: string;
}

const PAGE = 200;

function evidence(member: DuplicateGroup['members'][number]): string {
  if (member.suggestedKeeper) return 'keep';
  const parts: string[] = [member.tier];
  if (member.pdqDistance !== null) parts.push(`${member.pdqDistance} bits${member.pdqOrientation && member.pdqOrientation !== 'original' ? ` ${member.pdqOrientation}` : ''}`);
  if (member.similarity !== null) parts.push(`cos ${member.similarity.toFixed(3)}`);
  return parts.join(' ');
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
      process.stdout.write(`  ${evidence(member).padEnd(22)} ${size.padStart(11)}  ${member.photo.filename}  ${member.photo.id}\n`);
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
    (lib) => allPages((page) => listDuplicateGroups(lib, { kind: flags.kind, page, limit: PAGE })),
  );
  print(groups, Boolean(flags.json));
}
