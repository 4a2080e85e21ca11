import { describe, expect, it } from 'vitest';
import { GLOB_LIMITS, globProblem, globsProblem } from '../../src/library/in-place/glob-limits.js';
import { compileGlobs, GlobTimeoutError } from '../../src/library/in-place/glob.js';
import { MatchTime } from '../../src/library/in-place/match-time.js';
import { exclusionMatcher } from '../../src/library/in-place/walk.js';

const matches = (pattern: string, path: string) => compileGlobs([pattern])(path);

describe('exclusion globs', () => {
  // [pattern, path, what picomatch (with dot: true) answered: the matcher used before]
  const picomatchAnswers: [string, string, boolean][] = [
    ['**/@eaDir/**', '@eaDir', true],
    ['**/@eaDir/**', 'a/@eaDir', true],
    ['**/@eaDir/**', 'a/@eaDir/x.jpg', true],
    ['**/@eaDir/**', 'a/@eaDirX/x.jpg', false],
    ['**/@eaDir', 'a/b/@eaDir', true],
    ['**/@eaDir', 'a/@eaDir/x', false],
    ['**/.thumbnails/**', 'a/.thumbnails/x.jpg', true],
    ['**/*.tmp.jpg', '2020/a.tmp.jpg', true],
    ['**/*.tmp.jpg', 'a.tmp.jpg', true],
    ['*.tmp', 'x.tmp', true],
    ['*.tmp', '.tmp', true],
    ['*.tmp', 'a/x.tmp', false],
    ['private', 'private', true],
    ['private', '2020/private', false],
    ['*', '.hidden', true],
    ['*', 'a/b', false],
    ['**', 'a/b/c', true],
    ['a/**', 'a', true],
    ['a/**', 'a/b/c', true],
    ['a/**', 'ab', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/*/b', 'a/b', false],
    ['a/*/b', 'a/x/b', true],
    ['*/**', 'a', false],
    ['*/**', 'a/b', true],
    ['*.d/**', 'x.d', true],
    ['a**b', 'axxb', true],
    ['a**b', 'a/x/b', false],
    ['?.jpg', '1.jpg', true],
    ['?.jpg', 'ab.jpg', false],
    ['IMG_????.JPG', 'IMG_1234.JPG', true],
    ['[a-c]*.jpg', 'b1.jpg', true],
    ['[a-c]*.jpg', 'd1.jpg', false],
    ['[^a]x', 'ax', false],
    ['[^a]x', 'bx', true],
    ['[[:digit:]]x', '1x', true],
    ['[[:digit:]]x', 'ax', false],
    ['{a,b}/x', 'b/x', true],
    ['{a,b}/x', 'c/x', false],
    ['**/*.{tmp,bak}', 'a/x.bak', true],
    ['a/{b,c/d}/**', 'a/c/d/e', true],
    ['a/{b,c/d}/**', 'a/c', false],
    ['{,a}x', 'x', true],
    ['{a}/x', '{a}/x', true],
    ['{a}/x', 'a/x', false],
    ['./a', 'a', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a+b', 'a+b', true],
    ['a.b', 'axb', false],
    ['2020/**/raw/*.CR2', '2020/raw/x.CR2', true],
    ['2020/**/raw/*.CR2', '2020/01/raw/x.CR2', true],
    ['2020/**/raw/*.CR2', '2020/raw/x/y.CR2', false],
    ['*.JPG', 'x.jpg', false],
  ];

  it('answers as picomatch did on the patterns libraries use', () => {
    const wrong = picomatchAnswers.filter(([pattern, path, expected]) => matches(pattern, path) !== expected);
    expect(wrong).toEqual([]);
  });

  it('reads [!a] as "not a" (POSIX), and `**` between braces as a globstar', () => {
    expect(matches('[!a]x', 'bx')).toBe(true);
    expect(matches('[!a]x', 'ax')).toBe(false);
    expect(matches('a/{b,**}/c', 'a/x/y/c')).toBe(true);
    expect(matches('[]a]', ']')).toBe(true);
    expect(matches('x[a-]', 'x-')).toBe(true);
  });

  it('keeps the walk’s matcher: a folder named, or with everything in it, is left out', () => {
    const excluded = exclusionMatcher(['**/@eaDir/**', '**/*.tmp.jpg', 'private']);
    expect(excluded('2020/@eaDir', true)).toBe(true);
    expect(excluded('@eaDir/x.jpg', false)).toBe(true);
    expect(excluded('2020/private', true)).toBe(false);
    expect(exclusionMatcher([])('anything', false)).toBe(false);
  });

  it('matches pathological patterns against long names in milliseconds (no backtracking)', () => {
    const names = ['a'.repeat(255), `${'a'.repeat(250)}.jpg`, `${'ab'.repeat(120)}c`, `${'a/'.repeat(500)}b`];
    const patterns = [
      '*a*a*a*a*a*a*a*a*b',
      '*a*a*a*a*a*a*a*a*a*a*b',
      '*a*a*a*a*a*a*b',
      '**/*a*a*a*a*a*a*a*a*b',
      '**/a/**/a/**/a/**/a/**/a/**/a/**/c',
      '*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?x',
      '{*a*a*a*a*b,*b*b*b*b*c}{x,y}{1,2}',
    ];
    const started = performance.now();
    for (const pattern of patterns) for (const name of names) compileGlobs([pattern])(name);
    // and a whole library's worth of patterns at their limits, against the longest name
    const many = Array.from({ length: GLOB_LIMITS.patterns }, (_, i) => `**/${'*a'.repeat(7)}${i}`);
    compileGlobs(many)(`${'a/'.repeat(100)}${'a'.repeat(255)}`);
    expect(performance.now() - started).toBeLessThan(1000); // a regex took seconds for one of these, or never finished
    expect(matches('*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(200)}b`)).toBe(true);
    expect(matches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(200))).toBe(false);
  });

  it('says why a pattern cannot be saved: too long, too many wildcards or alternatives, negation, groups', () => {
    for (const fine of ['**/@eaDir/**', '*a*a*a*a*a*a*a*a*b', '**/*.{tmp,bak,part}', 'IMG_????.JPG']) expect(globProblem(fine)).toBeNull();
    expect(globProblem('x'.repeat(GLOB_LIMITS.length + 1))).toMatch(/at most 256 characters/);
    expect(globProblem(`${'*a'.repeat(GLOB_LIMITS.wildcards + 1)}b`)).toMatch(/at most 16 wildcards/);
    expect(globProblem('{a,b}'.repeat(6))).toMatch(/more than 32 patterns/);
    expect(globProblem('!**/keep/**')).toMatch(/negation/);
    expect(globProblem('@(a|b).jpg')).toMatch(/not supported/);
    expect(globProblem('(a|b).jpg')).toMatch(/not supported/);
    expect(globProblem('a\u0000b')).toMatch(/NUL/);
    expect(globsProblem(Array.from({ length: GLOB_LIMITS.patterns + 1 }, (_, i) => `x${i}`))).toMatch(/at most 100/);
    expect(globsProblem(Array.from({ length: 40 }, (_, i) => `{a,b,c,d}{e,f,g,h}${'x'.repeat(100)}${i}`))).toMatch(/too long together/);
  });

  it('stops with a reason once its matching has used its time budget', () => {
    const matcher = compileGlobs(['**/*a*a*a*a*a*a*b'], { time: new MatchTime(5) });
    const name = `${'a/'.repeat(200)}${'a'.repeat(255)}`;
    expect(() => {
      for (let i = 0; i < 100_000; i++) matcher(name);
    }).toThrow(GlobTimeoutError);
  });

  it('gives a watcher’s time back as time passes, up to its amount', () => {
    let now = 0;
    const time = new MatchTime(100, 0.05, () => now);
    time.spend(90);
    now = 1000; // 50 ms back
    expect(time.usedUp).toBe(false);
    time.spend(60);
    expect(time.usedUp).toBe(false); // 0 left
    time.spend(1);
    expect(time.usedUp).toBe(true);
    now = 1000 + 1_000_000; // never more than its amount at once
    expect(time.usedUp).toBe(false);
    time.spend(101);
    expect(time.usedUp).toBe(true);
    expect(time.spentMs).toBe(252);
    // a scan's never comes back
    const scan = new MatchTime(100, 0, () => now);
    scan.spend(101);
    now *= 2;
    expect(scan.usedUp).toBe(true);
  });

  it('leaves out, rather than expands, a saved pattern whose braces stand for too many', () => {
    const matcher = compileGlobs(['{a,b}'.repeat(20), 'x']);
    expect(matcher.skipped).toHaveLength(1);
    expect(matcher('x')).toBe(true);
  });
});
