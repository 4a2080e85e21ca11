// People a file names without a place (XMP PersonInImage, a Google Takeout sidecar's people[]): read from the tags,
// the sidecar's names under the file's, and put on a face only by elimination.
import { describe, expect, it } from 'vitest';
import { metadataFromTags, peopleNamedOf, withTakeoutFacts } from '../../src/media/metadata-tags.js';
import type { TakeoutSidecar } from '../../src/media/takeout-json.js';
import { namesNotOnFaces, placeByElimination, type HintFace } from '../../src/library/people/hints.js';

const takeout = (people: string[]): TakeoutSidecar => ({ favorited: false, archived: false, trashed: false, people, problems: [] });
const face = (id: string, personName: string | null = null, decidedByUser = false): HintFace => ({ id, personName, decidedByUser });

describe('the names a file gives for its people', () => {
  it('reads PersonInImage, one name or several, each once, cleaned as a region name is', () => {
    expect(peopleNamedOf({ PersonInImage: 'Marie Curie' })).toEqual(['Marie Curie']);
    expect(peopleNamedOf({ PersonInImage: ['Marie Curie', ' marie curie ', 'People/Pierre Curie', '', 'x\u0000y'] })).toEqual([
      'Marie Curie',
      'Pierre Curie',
      'xy',
    ]);
    expect(peopleNamedOf({})).toEqual([]);
    expect(peopleNamedOf({ PersonInImage: Array.from({ length: 500 }, (_, i) => `P${i}`) })).toHaveLength(100);
  });

  it('takes the sidecar’s names over the file’s, and a Takeout sidecar’s only where the file names nobody', () => {
    expect(metadataFromTags({ PersonInImage: ['Anna'] }, { PersonInImage: ['Bob'] }).peopleNamed).toEqual(['Bob']);
    expect(metadataFromTags({ PersonInImage: ['Anna'] }, {}).peopleNamed).toEqual(['Anna']);
    expect(metadataFromTags(withTakeoutFacts({}, takeout(['Marie', 'Pierre'])), null).peopleNamed).toEqual(['Marie', 'Pierre']);
    expect(metadataFromTags(withTakeoutFacts({ PersonInImage: 'Anna' }, takeout(['Marie'])), null).peopleNamed).toEqual(['Anna']);
    expect(metadataFromTags(withTakeoutFacts({}, takeout([])), null).peopleNamed).toEqual([]);
  });
});

describe('a name put on a face by elimination', () => {
  it('leaves out the names already on a face, whatever their case, and repeats', () => {
    expect(namesNotOnFaces(['Marie', 'pierre', 'PIERRE', 'Anna'], [face('a', 'Pierre'), face('b')])).toEqual(['Marie', 'Anna']);
  });

  it('counts a name a file region gave a face as placed, also after its person was renamed', () => {
    // Lightroom wrote a region and PersonInImage for Bob; the user renamed Bob to Robert since
    expect(namesNotOnFaces(['Bob'], [{ personName: 'Robert', regionName: 'Bob' }])).toEqual([]);
    expect(placeByElimination(['Bob'], [{ id: 'a', personName: 'Robert', regionName: 'Bob', decidedByUser: false }, face('b')])).toBeNull();
    // a region whose face was not found is the file's word all the same
    expect(namesNotOnFaces(['Bob', 'Ann'], [], ['bob'])).toEqual(['Ann']);
  });

  it('puts the one name left on the one face nobody named', () => {
    expect(placeByElimination(['Marie'], [face('a')])).toEqual({ faceId: 'a', name: 'Marie' });
    expect(placeByElimination(['Marie', 'Pierre'], [face('a', 'Marie'), face('b')])).toEqual({ faceId: 'b', name: 'Pierre' });
    // the face of an unnamed person (clustering's) is free too
    expect(placeByElimination(['Pierre', 'Marie'], [face('a', 'marie'), face('b', null)])).toEqual({ faceId: 'b', name: 'Pierre' });
  });

  it('guesses nothing: two names for two faces, one name for two faces, a face the user decided about, no face', () => {
    expect(placeByElimination(['Marie', 'Pierre'], [face('a'), face('b')])).toBeNull();
    expect(placeByElimination(['Marie'], [face('a'), face('b')])).toBeNull();
    expect(placeByElimination(['Marie'], [face('a', null, true)])).toBeNull();
    expect(placeByElimination(['Marie'], [face('a', null, true), face('b')])).toEqual({ faceId: 'b', name: 'Marie' });
    expect(placeByElimination(['Marie'], [])).toBeNull();
    expect(placeByElimination(['Marie'], [face('a', 'Marie')])).toBeNull();
    expect(placeByElimination([], [face('a')])).toBeNull();
  });
});
