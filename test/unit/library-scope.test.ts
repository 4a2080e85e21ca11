import { describe, expect, it } from 'vitest';
import { scopeFolders } from '../../src/library/in-place/scope.js';
import { exclusionMatcher, sidecarName } from '../../src/library/in-place/walk.js';
import { isInside } from '../../src/storage/in-place.js';

describe('libraries in place: what a scan looks at', () => {
  it('keeps changed folders inside the library, none inside another', () => {
    const paths = ['/photos/family', '/photos/work'];
    expect(scopeFolders(['/photos/family/2020/01', '/photos/family/2020', '/photos/work', '/photos/work/a', '/elsewhere', '/photos/familyX'], paths)).toEqual([
      '/photos/family/2020',
      '/photos/work',
    ]);
    expect(scopeFolders(['/photos/family/../work/x'], paths)).toEqual(['/photos/work/x']);
    expect(scopeFolders([], paths)).toEqual([]);
  });

  it('tells inside from a sibling with the same start', () => {
    expect(isInside('/photos/family', ['/photos/family'])).toBe(true);
    expect(isInside('/photos/family/a.jpg', ['/photos/family'])).toBe(true);
    expect(isInside('/photos/familyX/a.jpg', ['/photos/family'])).toBe(false);
    expect(isInside('/anything', ['/'])).toBe(true);
  });

  it('leaves out what the patterns name, a folder with everything in it', () => {
    const excluded = exclusionMatcher(['**/@eaDir/**', '**/*.tmp.jpg', 'private']);
    expect(excluded('2020/@eaDir', true)).toBe(true);
    expect(excluded('@eaDir/x.jpg', false)).toBe(true);
    expect(excluded('2020/a.tmp.jpg', false)).toBe(true);
    expect(excluded('private', true)).toBe(true);
    expect(excluded('2020/private', true)).toBe(false);
    expect(excluded('2020/a.jpg', false)).toBe(false);
    expect(exclusionMatcher([])('anything', false)).toBe(false);
  });

  it('finds the sidecar beside a photo: name.ext.xmp before name.xmp', () => {
    expect(sidecarName('IMG_1.CR2', new Set(['IMG_1.CR2', 'IMG_1.xmp', 'IMG_1.CR2.xmp']))).toBe('IMG_1.CR2.xmp');
    expect(sidecarName('IMG_1.CR2', new Set(['IMG_1.CR2', 'IMG_1.XMP']))).toBe('IMG_1.XMP');
    expect(sidecarName('IMG_1.CR2', new Set(['IMG_1.CR2']))).toBeNull();
  });
});
