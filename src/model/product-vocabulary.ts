// The words of product sets and the catalogue: shot numbers, the default shots, the catalogue's columns. Plain
// lists on SHOT_TYPES, so that the API's schemas and the CLI check a request before loading the library code.
import { SHOT_TYPES, type ShotType } from './photo-vocabulary.js';

/** Shot numbers as the API and CLI take them (`--shots 1,2,4,5`). */
export const SHOT_NUMBERS: Readonly<Record<number, ShotType>> = { 1: 'white', 2: 'hand', 3: 'dimensions', 4: 'lifestyle', 5: 'model' };
export const DEFAULT_SHOTS: readonly ShotType[] = ['white', 'hand', 'lifestyle', 'model'];

/** `1,2,4,5` or names → shot types in number order, or the reason they are not. */
export function parseShots(values: readonly (number | string)[]): ShotType[] | string {
  const shots = new Set<ShotType>();
  for (const value of values) {
    const shot =
      typeof value === 'number' || /^\d+$/.test(value)
        ? SHOT_NUMBERS[Number(value)]
        : (SHOT_TYPES as readonly string[]).includes(value)
          ? (value as ShotType)
          : undefined;
    if (!shot) return `unknown shot ${JSON.stringify(value)}: use 1 (white), 2 (hand), 3 (dimensions), 4 (lifestyle), 5 (model)`;
    shots.add(shot);
  }
  if (shots.size === 0) return 'give at least one shot';
  return SHOT_TYPES.filter((shot) => shots.has(shot));
}

export const CATALOGUE_COLUMNS = [
  'photoId',
  'filename',
  'productType',
  'name',
  'description',
  'attributes',
  'mainColour',
  'mainColourHex',
  'qualityGrade',
  'qualityReason',
  'heightMm',
  'widthMm',
  'originalUrl',
  'shotUrls',
  ...SHOT_TYPES.map((shot) => `${shot}Urls` as const),
] as const;
export type CatalogueColumn = (typeof CATALOGUE_COLUMNS)[number];

/** Every column but the file name and the per-shot URL lists (`shotUrls` has them all). */
export const DEFAULT_COLUMNS: readonly CatalogueColumn[] = CATALOGUE_COLUMNS.filter(
  (column) => column !== 'filename' && !SHOT_TYPES.some((shot) => column === `${shot}Urls`),
);

/** What a request for a creation tool answers while the library has them off (the API's 404, the CLI's error). */
export const CREATION_OFF_MESSAGE =
  'The creation tools (Create, product shots, the catalogue) are off in this library: an admin switches them on in Account → Library (PUT /api/admin/creation-tools)';
