// What anyone outside a library's users is told of an error (issue 59): the reason, never a path on the server.
import { describe, expect, it } from 'vitest';
import { publicMessageOf, UserError, withoutPaths } from '../../src/base/errors.js';
import { InPlaceFileGoneError, InPlaceFileRefusedError } from '../../src/storage/in-place.js';

describe('public messages', () => {
  it('says a file in place’s reason without its path', () => {
    const gone = new InPlaceFileGoneError('/srv/photos/2019/trip/a.jpg');
    expect(gone.message).toContain('/srv/photos/2019/trip/a.jpg');
    expect(publicMessageOf(gone)).toBe("the photo's file is not in its folder any more");
    expect(publicMessageOf(new InPlaceFileRefusedError('/srv/photos/a.jpg', 'not a regular file: not read'))).toBe("the photo's file cannot be read");
  });

  it('leaves out any other absolute path, but not an API route, a media type or a fraction', () => {
    expect(publicMessageOf(new UserError('invalid', "cannot open '/home/ann/My Pictures/x.jpg' now"))).toBe("cannot open '…' now");
    expect(withoutPaths('EACCES: permission denied, open /var/lib/shoebox/originals/ab/cd/x.jpg')).toBe('EACCES: permission denied, open …');
    const kept = 'send multipart/form-data to POST /api/s/{token}/photos; 1/2 done; its file is at /original';
    expect(withoutPaths(kept)).toBe(kept);
  });
});
