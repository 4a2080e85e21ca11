// albums.json of an export (media/albums-file.ts): albums in name order and the archive, with `/` paths, read back, and
// anything else refused with the reason; photos.json's stacks by hand (media/photos-file.ts), and how an import takes
// apart what the rules stacked again (cli/exported-stacks.ts).
import { describe, expect, it } from 'vitest';
import { takingApart } from '../../src/cli/exported-stacks.js';
import { albumsDocument, parseAlbumsDocument, startsAsAlbumsDocument } from '../../src/media/albums-file.js';
import { parsePhotosDocument, photosDocument } from '../../src/media/photos-file.js';

describe('an export’s albums file', () => {
  it('round-trips the albums, each file once, by name', () => {
    const text = albumsDocument(
      new Map([
        ['Walks / hikes', ['Walks _ hikes/a.jpg', 'Walks _ hikes/a.jpg', '2019\\2019-07-14\\b.jpg']],
        ['Birthday 2019', ['2019/2019-03-01/c.jpg']],
      ]),
    );
    expect(startsAsAlbumsDocument(text)).toBe(true);
    expect(parseAlbumsDocument(text)).toEqual({
      albums: [
        { name: 'Birthday 2019', files: ['2019/2019-03-01/c.jpg'] },
        { name: 'Walks / hikes', files: ['Walks _ hikes/a.jpg', '2019/2019-07-14/b.jpg'] },
      ],
      archived: [],
    });
    expect(parseAlbumsDocument(albumsDocument(new Map(), ['2020\\2020-01-01\\d.jpg'])).archived).toEqual(['2020/2020-01-01/d.jpg']);
    // the cover chosen, by its original
    const covered = albumsDocument(new Map([['Trip', ['a.jpg', 'b.jpg']]]), [], new Map(), new Map([['Trip', '2019\\b.jpg']]));
    expect(parseAlbumsDocument(covered).albums).toEqual([{ name: 'Trip', files: ['a.jpg', 'b.jpg'], cover: '2019/b.jpg' }]);
    // a file from before the archive has none
    expect(parseAlbumsDocument('{"shoebox": "albums", "version": 1, "albums": []}')).toEqual({ albums: [], archived: [] });
  });

  it('refuses what is not one, saying why', () => {
    expect(() => parseAlbumsDocument('{"shoebox": ')).toThrow('albums.json is not JSON');
    expect(() => parseAlbumsDocument('{"title": "Trip"}')).toThrow(/not a Shoebox export's list of albums \(shoebox: /);
    expect(() => parseAlbumsDocument('{"shoebox": "albums", "version": 2, "albums": []}')).toThrow(/\(version: /);
    expect(() => parseAlbumsDocument('{"shoebox": "albums", "version": 1, "albums": [{"name": "  ", "files": []}]}')).toThrow(/\(albums\.0\.name: /);
    expect(startsAsAlbumsDocument('{"title": "Trip"}')).toBe(false);
  });
});

describe('an export’s photos file: its stacks by hand', () => {
  const photo = { files: ['2019/2019-07-14/a.jpg'], takenAt: null, timeZone: null };

  it('round-trips the stacks and the pairs apart, with `/` paths; a file from before them has none', () => {
    const stack = { files: ['2019\\2019-07-14\\a.jpg', 'b.jpg'], kind: 'mixed', byHand: true, cover: '2019\\2019-07-14\\a.jpg', coverByHand: true };
    const text = photosDocument([photo], [stack], [['a.jpg', 'c.jpg']]);
    expect(parsePhotosDocument(text)).toEqual({
      photos: [photo],
      stacks: [{ ...stack, files: ['2019/2019-07-14/a.jpg', 'b.jpg'], cover: '2019/2019-07-14/a.jpg' }],
      apart: [['a.jpg', 'c.jpg']],
    });
    expect(parsePhotosDocument(photosDocument([]))).toEqual({ photos: [], stacks: [], apart: [] });
    expect(parsePhotosDocument('{"shoebox": "photos", "version": 1, "photos": []}')).toEqual({ photos: [], stacks: [], apart: [] });
  });

  it('refuses stacks that are not, saying where', () => {
    const head = '{"shoebox": "photos", "version": 1, "photos": [], ';
    expect(() => parsePhotosDocument(`${head}"stacks": [{"files": [1], "kind": "x", "byHand": true, "cover": null, "coverByHand": false}]}`)).toThrow(
      /photos\.json is not a Shoebox export's list of photos \(stacks\.0\.files\.0: /,
    );
    expect(() => parsePhotosDocument(`${head}"apart": [["a.jpg"]]}`)).toThrow(/\(apart\.0/);
    expect(() => parsePhotosDocument(`${head}"apart": {"a.jpg": "b.jpg"}}`)).toThrow(/\(apart: /);
  });

  it('takes apart what the rules stacked again: a stack unstacked whole, a photo moved out of one', () => {
    const pairs = (...list: string[]) => new Set(list);
    expect(takingApart(['a', 'b'], pairs('a|b'))).toEqual({ unstack: true, moveOut: [] });
    expect(takingApart(['a', 'b', 'c'], pairs('a|b', 'c|a', 'b|c'))).toEqual({ unstack: true, moveOut: [] });
    // c moved out of a stack of three
    expect(takingApart(['a', 'b', 'c'], pairs('c|a', 'b|c'))).toEqual({ unstack: false, moveOut: ['c'] });
    // (d, then b, were moved out: b and d are each apart from three; either first leaves the same stack and pairs)
    expect(takingApart(['a', 'b', 'c', 'd'], pairs('d|a', 'd|b', 'd|c', 'a|b', 'b|c'))).toEqual({ unstack: false, moveOut: ['b', 'd'] });
    // nothing apart in it, or pairs of other stacks
    expect(takingApart(['a', 'b'], pairs('a|x'))).toEqual({ unstack: false, moveOut: [] });
  });
});
