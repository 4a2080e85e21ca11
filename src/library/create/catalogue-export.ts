// The catalogue as a shop imports it: one row per product with the chosen columns, image URLs of the original and
// of each generated shot, as CSV (RFC 4180 quoting through csv-stringify, UTF-8 with a byte-order mark so that
// spreadsheet programs read accents right) or JSON.
import { stringify } from 'csv-stringify/sync';
import type { CatalogueColumn } from '../../model/product-vocabulary.js';
import type { Library } from '../library.js';
import { spreadsheetCell } from '../../base/spreadsheet-cells.js';
import { listProducts, type ProductInfo, type ProductSelection } from './products.js';

export type CatalogueRow = Partial<Record<CatalogueColumn, string | number | null | Record<string, string> | string[]>>;

/** The selected products as rows of the chosen columns; `origin` makes the image URLs absolute (`https://host`). */
export async function catalogueRows(lib: Library, selection: ProductSelection, columns: readonly CatalogueColumn[], origin: string): Promise<CatalogueRow[]> {
  const { items } = await listProducts(lib, selection);
  return items.map((product) => rowOf(product, columns, origin));
}

function rowOf(product: ProductInfo, columns: readonly CatalogueColumn[], origin: string): CatalogueRow {
  const url = (id: string) => `${origin}/api/photos/${id}/original`;
  const all: Record<CatalogueColumn, CatalogueRow[CatalogueColumn]> = {
    photoId: product.photoId,
    filename: product.filename,
    productType: product.productType,
    name: product.name,
    description: product.description,
    attributes: product.attributes,
    mainColour: product.mainColour,
    mainColourHex: product.mainColourHex,
    qualityGrade: product.qualityGrade,
    qualityReason: product.qualityReason,
    heightMm: product.heightMm,
    widthMm: product.widthMm,
    originalUrl: url(product.photoId),
    shotUrls: product.shots.map((shot) => url(shot.photoId)),
    whiteUrls: shotUrls(product, 'white', url),
    handUrls: shotUrls(product, 'hand', url),
    dimensionsUrls: shotUrls(product, 'dimensions', url),
    lifestyleUrls: shotUrls(product, 'lifestyle', url),
    modelUrls: shotUrls(product, 'model', url),
  };
  return Object.fromEntries(columns.map((column) => [column, all[column]]));
}

function shotUrls(product: ProductInfo, shot: string, url: (id: string) => string): string[] {
  return product.shots.filter((s) => s.shot === shot).map((s) => url(s.photoId));
}

/**
 * CSV: a header of the column names, attributes as `name: value; name: value`, lists of URLs separated by spaces
 * (a URL has none), every field quoted where RFC 4180 needs it (and with a semicolon, the separator of many locales);
 * a text cell a spreadsheet program would run as a formula begins with an apostrophe (spreadsheet-cells.ts).
 */
export function catalogueCsv(rows: CatalogueRow[], columns: readonly CatalogueColumn[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = row[column];
      if (value === null || value === undefined) return '';
      if (typeof value === 'number') return String(value); // a typed number (a size) is data, never a formula
      if (Array.isArray(value)) return spreadsheetCell(value.join(' '));
      if (typeof value === 'object') {
        return spreadsheetCell(
          Object.entries(value)
            .map(([name, text]) => `${name}: ${text}`)
            .join('; '),
        );
      }
      return spreadsheetCell(value);
    }),
  );
  return `\uFEFF${stringify([columns as unknown as string[], ...cells], { quoted_match: /[",\r\n;]/, record_delimiter: 'windows' })}`;
}
