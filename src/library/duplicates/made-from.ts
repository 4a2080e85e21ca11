// Whether one file was made from another, by what their tags say of their making (model/file-facts.ts), whatever
// their names: an edit named like any photo is still the edit of its source. Pure. Only marks that an editor leaves
// and a camera does not are read; a later modify date is not one (a tagging tool writes one into the original itself,
// and an editor that saves a new file writes its name too).
import type { Lineage } from '../../model/file-facts.js';

/** What is known of a file to tell whether it was made from another. */
export interface MakingFacts {
  takenAt: Date | null;
  make: string | null;
  model: string | null;
  /** Null: not read (a photo stored before the lineage was: nothing is told of it). */
  lineage?: Lineage | null;
}

/**
 * Editors and RAW developers by the name they write as the software (EXIF Software, XMP CreatorTool, the XMP history's
 * agents). A camera or phone writes its firmware there ("Ver.1.00", "HDR+ 1.0", "17.1", a build code), a converter or a
 * messenger its own name or nothing: neither is an editor's work. An editor not listed leaves no mark.
 */
const EDITORS =
  /\b(photoshop|lightroom|camera raw|gimp|affinity photo|pixelmator|photomator|capture one|darktable|rawtherapee|dxo|luminar|on1 photo|snapseed|picasa|digikam|paint\.net|paintshop|acdsee|photoscape|polarr|vsco|picsart|fotor|krita|digital photo professional|capture nx|silkypix|photodirector|aurora hdr|nik collection)\b/i;

/** The file shows an editor's work: an editor's name as its software, or an XMP link to the file it was derived from. */
export function showsEditing(lineage: Lineage | null | undefined): boolean {
  return !!lineage && (lineage.derivedFrom.length > 0 || lineage.software.some((name) => EDITORS.test(name)));
}

/** `b`'s document as `a`'s XMP names its source: DerivedFrom, or the first document of its lineage (not its own). */
function linked(a: Lineage, b: Lineage): boolean {
  const sources = [...a.derivedFrom, ...(a.originalDocumentId && a.originalDocumentId !== a.documentId ? [a.originalDocumentId] : [])];
  return sources.some((id) => id === b.documentId || id === b.instanceId);
}

/** The camera's own file: its make, model and capture time, and no editor's work. */
function cameraFile(f: MakingFacts): boolean {
  return f.make !== null && f.model !== null && f.takenAt !== null && !showsEditing(f.lineage);
}

/**
 * `a` was made from `b`: `a`'s XMP names `b`'s document as its source, or `a` shows an editor's work and `b` is the
 * camera's file of the same shot (the same capture time, to the millisecond, and camera: an edit keeps them).
 */
export function madeFrom(a: MakingFacts, b: MakingFacts): boolean {
  if (!a.lineage || !b.lineage) return false;
  if (linked(a.lineage, b.lineage)) return true;
  const sameCamera = (a.make === null || a.make === b.make) && (a.model === null || a.model === b.model);
  return showsEditing(a.lineage) && cameraFile(b) && a.takenAt !== null && a.takenAt.getTime() === b.takenAt!.getTime() && sameCamera;
}
