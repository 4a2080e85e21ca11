// albums.json of an export (media/albums-file.ts): albums in name order and the archive, with `/` paths, read back, and
// anything else refused with the reason.
import { describe, expect, it } from 'vitest';
import { albumsDocument, parseAlbumsDocument, startsAsAlbumsDocument } from '../../src/media/albums-file.js';

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
