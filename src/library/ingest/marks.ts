// What a Google sidecar's favourite and archive do to the photos they came with: one way for an import
// (imports/library-target.ts) and for an upload that brings the sidecar (api/upload.ts), so that a photo's marks
// do not depend on the door it came in by.
import { inBatches } from '../../base/concurrency.js';
import type { Library } from '../library.js';
import { updatePhotos } from '../photos/photos.js';

const BATCH = 1000;

export const favourMarked = (lib: Library, ids: readonly string[]) => inBatches(ids, BATCH, (batch) => updatePhotos(lib, batch, { favorite: true }));

export const archiveMarked = (lib: Library, ids: readonly string[]) => inBatches(ids, BATCH, (batch) => updatePhotos(lib, batch, { archived: true }));
