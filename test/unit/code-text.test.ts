// What a code's text is to a person (model/code-text.ts): the words search finds it by, and which texts become links.
import { describe, expect, it } from 'vitest';
import { CODE_TEXT_LIMIT, codeLink, codeSearchWords, keptCodeText } from '../../src/model/code-text.js';

describe('code text', () => {
  it("splits a URL into its host's names and its path and query words", () => {
    expect(codeSearchWords('https://www.lighthouse-tours.example/summer-festival/tickets?day=2').split(' ')).toEqual([
      'lighthouse-tours.example',
      'lighthouse-tours',
      'summer',
      'festival',
      'tickets',
      'day',
      '2',
    ]);
    // a country's second-level suffix is not a name people type; an escaped path is read as written
    expect(codeSearchWords('http://shop.example.co.uk/caf%C3%A9/menu')).toBe('shop.example.co.uk shop example café menu');
    expect(codeSearchWords('4006381333931')).toBe('');
  });

  it('makes links of http(s) URLs only', () => {
    expect(codeLink('https://example.org/a')?.href).toBe('https://example.org/a');
    expect(codeLink('  HTTP://example.org  ')?.hostname).toBe('example.org');
    for (const text of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)//https://x',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'https://exa mple.org',
      'www.example.org',
      'mailto:a@b.c',
    ]) {
      expect(codeLink(text), text).toBeNull();
    }
  });

  it('makes no link of a URL with a user name or password: it shows one host and opens another', () => {
    for (const text of ['https://bank.example@evil.example/', 'https://user:pass@example.org/', 'http://:secret@example.org/']) {
      expect(codeLink(text), text).toBeNull();
      expect(codeSearchWords(text), text).toBe('');
    }
    expect(codeLink('https://example.org/a@b')?.hostname).toBe('example.org');
  });

  it('takes out bidi controls and zero-width characters (Trojan Source), keeping the letters around them', () => {
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
    const zeroWidth = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
    for (const hidden of [...bidi, ...zeroWidth]) expect(keptCodeText(`pay${hidden}pal`), hidden.codePointAt(0)!.toString(16)).toBe('paypal');
    // an override that would show "txt.exe" as "exe.txt", and Arabic and Hebrew letters themselves kept
    expect(keptCodeText('invoice\u202etxt.exe')).toBe('invoicetxt.exe');
    expect(keptCodeText('مرحبا שלום')).toBe('مرحبا שלום');
  });

  it('keeps printable text, line breaks and tabs, at most 4,096 characters', () => {
    expect(keptCodeText('a\u0000b\u0007c\u001b[31md\u007f\u0085e\tf\ng')).toBe('abc[31mde\tf\ng');
    expect(keptCodeText('x'.repeat(5000))).toHaveLength(CODE_TEXT_LIMIT);
  });
});
