import { describe, expect, it } from 'vitest';
import { EMBEDDED_COMFORTABLE_PHOTOS, embeddedSizeNotice } from '../../src/model/embedded-size.js';

describe('where the embedded database stops', () => {
  it('tells an embedded library past the measured size, with the figures and the command that moves it', () => {
    const notice = embeddedSizeNotice('embedded', 120_500);
    expect(notice).toMatchObject({
      photos: 120_500,
      comfortable: EMBEDDED_COMFORTABLE_PHOTOS,
      command: 'shoebox migrate --to postgres://… [--storage s3://…]',
    });
    expect(notice!.message).toBe(
      'This library holds 120,500 photos, more than the 100,000 the embedded database was measured to serve quickly: search and the pages ' +
        'that list photos (the timeline, map, people, albums, memories) may slow down. Move it to PostgreSQL with ' +
        '`shoebox migrate --to postgres://… [--storage s3://…]` (docs/engines.md#how-large-the-embedded-database-goes).',
    );
  });

  it('says nothing at or under the size, nor on PostgreSQL at any size', () => {
    expect(embeddedSizeNotice('embedded', EMBEDDED_COMFORTABLE_PHOTOS)).toBeNull();
    expect(embeddedSizeNotice('embedded', 0)).toBeNull();
    expect(embeddedSizeNotice('postgres', 5_000_000)).toBeNull();
    expect(embeddedSizeNotice('embedded', 3, 2)?.photos).toBe(3);
    expect(embeddedSizeNotice('embedded', 2, 2)).toBeNull();
  });
});
