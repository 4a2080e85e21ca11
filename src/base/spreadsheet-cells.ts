// Cells of the CSV files Shoebox writes (the catalogue, an album ZIP's manifest) as spreadsheet programs open them.
// Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ as a formula (a link out, a command through
// DDE), also behind leading spaces or line breaks, and in the full-width forms some of them read alike; a cell that
// starts with a tab or a carriage return can hide one. Names, descriptions and file names come from users and from a
// vision model's answer, so every such text cell begins with an apostrophe, which these programs show as text. Text
// that only looks like a negative number ("-3.5") gets one too: it is text, never a typed number. Typed numbers stay
// numbers. JSON exports are data and keep the text as it was written.

const FORMULA_START = /^[\s\u0000-\u001f]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

/** The cell as a spreadsheet program shows it as text: an apostrophe ahead of text it would run as a formula. */
export function spreadsheetCell(value: string): string;
export function spreadsheetCell(value: number): number;
export function spreadsheetCell(value: string | number): string | number {
  if (typeof value !== 'string') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}
