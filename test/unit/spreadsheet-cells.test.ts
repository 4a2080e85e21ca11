import { describe, expect, it } from 'vitest';
import { spreadsheetCell } from '../../src/base/spreadsheet-cells.js';

describe('CSV cells a spreadsheet program would run as formulas', () => {
  it('get a leading apostrophe when they start with = + - @', () => {
    for (const hostile of ['=HYPERLINK("http://evil.example","x")', '@SUM(1)', '-2+3', "+cmd|' /C calc'!A0", '=', '-', '-3.5', '+1']) {
      expect(spreadsheetCell(hostile)).toBe(`'${hostile}`);
    }
  });

  it('also in their full-width forms', () => {
    for (const hostile of ['＝1+1', '＋cmd', '－2', '＠SUM(1)']) expect(spreadsheetCell(hostile)).toBe(`'${hostile}`);
  });

  it('also behind leading spaces, tabs and line breaks, and whenever a cell starts with a tab or a carriage return', () => {
    for (const hostile of [' =1+1', '\t=1+1', '\r\n@SUM(1)', '\n-2', '  \t +cmd', '\tplain', '\rplain', '\u00a0=1']) {
      expect(spreadsheetCell(hostile)).toBe(`'${hostile}`);
    }
  });

  it('leaves harmless text alone', () => {
    const harmless = ['', 'Pearl earring', 'a=b', 'x-1', 'mail@example.org', 'https://host/api/photos/1/original', '3.5', ' plain', '\nplain', "'=x"];
    for (const text of harmless) expect(spreadsheetCell(text)).toBe(text);
  });

  it('keeps typed numbers as they are, negative ones included', () => {
    expect(spreadsheetCell(32)).toBe(32);
    expect(spreadsheetCell(-3.5)).toBe(-3.5);
    expect(spreadsheetCell(0)).toBe(0);
  });
});
