import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/auth/oidc-client.js';

describe('where single sign-on lands afterwards', () => {
  it('keeps paths of this server', () => {
    expect(safeReturnPath('/')).toBe('/');
    expect(safeReturnPath('/albums/1?sort=new#top')).toBe('/albums/1?sort=new#top');
    expect(safeReturnPath('/search?q=cat%20dog')).toBe('/search?q=cat%20dog');
    expect(safeReturnPath('/a/../b')).toBe('/b');
  });

  it('refuses everything that could lead elsewhere', () => {
    for (const hostile of [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/ /evil.example',
      '/\u00a0/evil.example',
      '/\u2028/evil.example',
      '/\u200b/evil.example',
      '/\x00/evil.example',
      '/\\evil.example',
      '/\\\\evil.example',
      '/photos\\..\\..\\\\evil.example',
      '//evil.example',
      '/.//evil.example',
      '/photos/..//evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'evil.example',
      '',
      `/${'a'.repeat(3000)}`,
    ]) {
      expect(safeReturnPath(hostile), JSON.stringify(hostile)).toBe('/');
    }
    expect(safeReturnPath(undefined)).toBe('/');
    expect(safeReturnPath(['/x'])).toBe('/');
  });
});
