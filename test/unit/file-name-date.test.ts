import { describe, expect, it } from 'vitest';
import { dateInFileName } from '../../src/media/file-name-date.js';

const NOW = new Date('2026-11-28T12:00:00Z');

describe('dates in file names', () => {
  it.each([
    ['Screenshot_20210910-101010.png', '2021-09-10T10:10:10'],
    ['IMG_20190704_123456.jpg', '2019-07-04T12:34:56'],
    ['IMG_20190704_123456789.jpg', '2019-07-04T12:34:56'],
    ['PXL_20230101_235959123.MP.jpg', '2023-01-01T23:59:59'],
    ['VID_20200229_080000.mp4', '2020-02-29T08:00:00'],
    ['20180812_154500.jpg', '2018-08-12T15:45:00'],
    ['Screenshot_2021-09-10-10-10-10-123_com.example.app.png', '2021-09-10T10:10:10'],
    ['Screenshot 2021-09-10 at 10.10.10.png', '2021-09-10T10:10:10'],
    // macOS with a 12-hour clock: before, read 12 hours early (PM) or at noon (12 AM)
    ['Screenshot 2021-09-10 at 1.05.03 PM.png', '2021-09-10T13:05:03'],
    ['Screenshot 2021-09-10 at 1.05.03\u202fPM.png', '2021-09-10T13:05:03'],
    ['Screen Shot 2019-03-02 at 11.59.59 pm.png', '2019-03-02T23:59:59'],
    ['Screenshot 2021-09-10 at 12.05.03 AM.png', '2021-09-10T00:05:03'],
    ['Screenshot 2021-09-10 at 12.05.03 PM.png', '2021-09-10T12:05:03'],
    ['Screenshot 2021-09-10 at 9.41.07 AM.png', '2021-09-10T09:41:07'],
    ['Screen Recording 2021-09-10 at 4.20.00 PM.mov', '2021-09-10T16:20:00'],
    // Windows' Snipping Tool
    ['Screenshot 2023-09-10 130503.png', '2023-09-10T13:05:03'],
    ['photos/2020/Screenshot_20200101-000001.png', '2020-01-01T00:00:01'],
  ])('%s → %s', (name, expected) => {
    expect(dateInFileName(name, NOW)).toBe(expected);
  });

  it.each([
    'IMG_0606.HEIC', // a counter, not a date
    'DSC_20191345_101010.jpg', // month 13
    'IMG_20190431_101010.jpg', // 31 April
    'IMG_20190704_256000.jpg', // hour 25
    'IMG_19850704_101010.jpg', // before digital phones
    'IMG_20300101_101010.jpg', // the future
    'holiday.jpg',
    'IMG-20190704-WA0001.jpg', // WhatsApp: the day it was sent, not taken
    'VID-20221231-WA0003.mp4',
    'Screenshot 2021-09-10 at 13.05.03 PM.png', // no 12-hour clock writes 13
  ])('%s has no date', (name) => {
    expect(dateInFileName(name, NOW)).toBeNull();
  });
});
