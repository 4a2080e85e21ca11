import { describe, expect, it } from 'vitest';
import { parseQuery, wordsOf } from '../../src/search/query.js';

describe('parseQuery', () => {
  it('reads plain words as separate groups, all required', () => {
    expect(parseQuery('red  car')).toEqual({
      groups: [[{ kind: 'word', text: 'red' }], [{ kind: 'word', text: 'car' }]],
      excluded: [],
      positiveText: 'red car',
      empty: false,
    });
  });

  it('keeps quoted phrases together, and an unclosed quote runs to the end', () => {
    expect(parseQuery('"rodeo clown" beer').groups).toEqual([[{ kind: 'phrase', words: ['rodeo', 'clown'] }], [{ kind: 'word', text: 'beer' }]]);
    expect(parseQuery('beer "weekend warrior').groups[1]).toEqual([{ kind: 'phrase', words: ['weekend', 'warrior'] }]);
  });

  it('excludes -words and -"phrases" but not a hyphen inside a word or a lone dash', () => {
    const parsed = parseQuery('beach -dog -"hot dog" mother-in-law - x');
    expect(parsed.excluded).toEqual([
      { kind: 'word', text: 'dog' },
      { kind: 'phrase', words: ['hot', 'dog'] },
    ]);
    expect(parsed.groups).toEqual([[{ kind: 'word', text: 'beach' }], [{ kind: 'phrase', words: ['mother', 'in', 'law'] }], [{ kind: 'word', text: 'x' }]]);
    expect(parsed.positiveText).toBe('beach mother in law x');
  });

  it('joins alternatives with OR (upper case only, as on the web)', () => {
    expect(parseQuery('cat OR dog bird').groups).toEqual([
      [
        { kind: 'word', text: 'cat' },
        { kind: 'word', text: 'dog' },
      ],
      [{ kind: 'word', text: 'bird' }],
    ]);
    expect(parseQuery('cat or dog').groups).toHaveLength(3);
    // A leading or trailing OR has nothing to join.
    expect(parseQuery('OR cat OR').groups).toEqual([[{ kind: 'word', text: 'cat' }]]);
  });

  it('turns file names and punctuation into words, and is empty with nothing positive', () => {
    expect(parseQuery('IMG_1234.JPG').groups).toEqual([[{ kind: 'phrase', words: ['IMG', '1234', 'JPG'] }]]);
    expect(parseQuery('   ').empty).toBe(true);
    expect(parseQuery('-dog').empty).toBe(true);
    expect(parseQuery('!!! ::: &|').empty).toBe(true);
    expect(parseQuery("'; drop table photos; --").groups.flat()).toEqual([
      { kind: 'word', text: 'drop' },
      { kind: 'word', text: 'table' },
      { kind: 'word', text: 'photos' },
    ]);
  });

  it('keeps letters of every script and digits', () => {
    expect(wordsOf('Skłodowska 東京 café-2024')).toEqual(['Skłodowska', '東京', 'café', '2024']);
  });
});
