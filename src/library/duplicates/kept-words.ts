// Why a photo is kept, in the words the duplicates page, the CLI and a refused resolve say it. Pure.
import { baseName, formatFamily } from '../../media/shot-names.js';
import { madeFrom } from './made-from.js';
import type { CopyFacts, KeptReason } from './provenance.js';

const FORMAT_WORDS = { raw: 'RAW', heic: 'HEIC', jpeg: 'JPEG', other: 'file' } as const;

/** `member` and `other` as two versions of one shot: "the JPEG of IMG_1.CR2", "an edit of IMG_1.jpg". */
function versionWords(member: CopyFacts, other: CopyFacts): string {
  const [madeMine, madeTheirs] = [madeFrom(member, other), madeFrom(other, member)];
  if (madeMine && madeTheirs) return `an edit of ${other.filename} or its original, by their marks (they disagree)`;
  if (madeMine) return `an edit of ${other.filename} (an editor’s marks)`;
  if (madeTheirs) return `the original of ${other.filename}, its edit (an editor’s marks)`;
  const mine = formatFamily(member.filename, member.mime);
  const theirs = formatFamily(other.filename, other.mime);
  const editedMine = baseName(member.filename).edited;
  const editedTheirs = baseName(other.filename).edited;
  if (editedMine !== editedTheirs) return editedMine ? `an edit of ${other.filename}` : `the original of ${other.filename}, its edit`;
  if (mine !== theirs) return `the ${FORMAT_WORDS[mine]} of ${other.filename}`;
  return `in one stack with ${other.filename}, another frame or version of the shot`;
}

const HAS_MORE_WORDS = {
  pixels: 'more pixels',
  lossless: 'its pixels stored without loss',
  'maybe-source': 'perhaps the source (one lossy, the other perhaps lossless: which came first cannot be told)',
  depth: 'more bits per colour',
  camera: 'the camera’s make and model',
  'maker-notes': 'the camera’s maker notes',
  date: 'its capture time',
  original: 'the original name (not an edit’s)',
  shot: 'a clearly better shot',
} as const;

/** The reason in words, `of` named by its file name. */
export function keptWords(reason: KeptReason, member: CopyFacts, factsOf: (id: string) => CopyFacts): string {
  switch (reason.kind) {
    case 'raw':
      return 'a RAW file: never proposed for the trash';
    case 'version':
      return `${versionWords(member, factsOf(reason.of))}: one shot, not a copy`;
    case 'another-moment':
      return `taken at another moment than ${factsOf(reason.of).filename}: another shot`;
    case 'has-more':
      return `it has what ${factsOf(reason.of).filename} lacks: ${reason.what.map((w) => HAS_MORE_WORDS[w]).join(', ')}`;
  }
}
