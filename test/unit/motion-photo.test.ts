// Where a motion photo's video lies in its file, from the tags ExifTool reads (media/motion-photo.ts).
import { describe, expect, it } from 'vitest';
import { embeddedMotion } from '../../src/media/motion-photo.js';

// formats/motionphoto/samsung-one-ui-6.heic as ExifTool reads it (3,678,952 bytes)
const SIZE = 3_678_952;
const samsung = {
  MotionPhoto: 1,
  EmbeddedVideoType: 'MotionPhoto_Data',
  EmbeddedVideoOffsetSize: '452284 3226469',
  ContainerDirectory: [
    { Item: { Length: 452276, Mime: 'image/heic', Padding: 8, Semantic: 'Primary' } },
    { Item: { Length: 3226668, Mime: 'video/mp4', Padding: 199, Semantic: 'MotionPhoto' } },
  ],
};

describe('embeddedMotion', () => {
  it("reads Samsung's trailer, and Google's container directory to the same bytes", () => {
    expect(embeddedMotion(samsung, SIZE)).toEqual({ offset: 452_284, length: 3_226_469 });
    const google = { ContainerDirectory: samsung.ContainerDirectory };
    expect(embeddedMotion(google, SIZE)).toEqual({ offset: 452_284, length: 3_226_469 });
  });

  it('reads the older MicroVideo offset, counted from the end', () => {
    expect(embeddedMotion({ MicroVideo: 1, MicroVideoVersion: 1, MicroVideoOffset: 1_500_000 }, 4_000_000)).toEqual({ offset: 2_500_000, length: 1_500_000 });
  });

  it('finds none in a still, and none where the tags point outside the file', () => {
    expect(embeddedMotion({ Make: 'Canon' }, SIZE)).toBeNull();
    expect(embeddedMotion({ EmbeddedVideoType: 'MotionPhoto_Data', EmbeddedVideoOffsetSize: '452284 9999999' }, SIZE)).toBeNull();
    expect(embeddedMotion({ MicroVideo: 1, MicroVideoOffset: SIZE + 10 }, SIZE)).toBeNull();
    expect(embeddedMotion({ ContainerDirectory: [{ Item: { Semantic: 'MotionPhoto', Length: 'lots' } }] }, SIZE)).toBeNull();
  });
});
