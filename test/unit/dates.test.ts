import { describe, expect, it } from 'vitest';
import { parseDateTime, parseOffset } from '../../src/media/date-parse.js';
import { chooseDateTaken, type DateInput } from '../../src/media/dates.js';
import { formatOffset, isIanaTimeZone, zoneOffsetAt } from '../../src/media/time-zones.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const choose = (input: Omit<DateInput, 'now'>) => chooseDateTaken({ now: NOW, ...input });

describe('parseDateTime', () => {
  it('reads EXIF, ISO/XMP and sub-second forms', () => {
    expect(parseDateTime('2023:02:02 02:00:00')).toMatchObject({ year: 2023, month: 2, day: 2, hour: 2, offsetMinutes: null });
    expect(parseDateTime('2000-09-27T14:35:33+02:00')).toMatchObject({ hour: 14, second: 33, offsetMinutes: 120 });
    expect(parseDateTime('2023:11:15 12:30:00Z')).toMatchObject({ offsetMinutes: 0 });
    expect(parseDateTime('2025:06:01 16:59:26.023460')).toMatchObject({ millisecond: 23 });
    expect(parseDateTime('2009:08:29 13:18:08.17')).toMatchObject({ millisecond: 170 });
    expect(parseDateTime('2021-03-04T10:20')).toMatchObject({ minute: 20, second: 0 });
    expect(parseDateTime('2022:01:10')).toMatchObject({ hasTime: false });
    expect(parseDateTime('2021:03:04 10:20:30-0530')).toMatchObject({ offsetMinutes: -330 });
  });

  it('uses the rawValue of exiftool-vendored objects', () => {
    expect(parseDateTime({ rawValue: '2010:02:13 14:55:31', year: 1999 })).toMatchObject({ year: 2010 });
  });

  it('rejects zero, impossible and malformed dates', () => {
    for (const bad of [
      '0000:00:00 00:00:00',
      '    :  :     :  :  ',
      '2023:02:30 10:00:00',
      '2023:13:01 10:00:00',
      '2023:01:01 24:00:00',
      '2023:01:01 10:61:00',
      '2023:01:01 10:00:00+25:00',
      'yesterday',
      '',
      42,
      null,
      undefined,
    ]) {
      expect(parseDateTime(bad), String(bad)).toBeNull();
    }
  });
});

describe('parseOffset / formatOffset', () => {
  it('reads the forms ExifTool and exiftool-vendored write', () => {
    expect(parseOffset('+01:00')).toBe(60);
    expect(parseOffset('-05:30')).toBe(-330);
    expect(parseOffset('+0545')).toBe(345);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('UTC+2')).toBe(120);
    expect(parseOffset(-5)).toBe(-300); // TimeZoneOffset, hours
    expect(parseOffset('-5 -5')).toBe(-300);
    expect(parseOffset('+15:00')).toBeNull();
    expect(parseOffset('Europe/Paris')).toBeNull();
    expect(formatOffset(60)).toBe('+01:00');
    expect(formatOffset(-330)).toBe('-05:30');
    expect(formatOffset(0)).toBe('+00:00');
  });

  it('knows IANA zones and their offsets', () => {
    expect(isIanaTimeZone('Europe/Paris')).toBe(true);
    expect(isIanaTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIanaTimeZone('+01:00')).toBe(false);
    expect(zoneOffsetAt('Europe/Paris', Date.UTC(2021, 0, 1))).toBe(60);
    expect(zoneOffsetAt('Europe/Paris', Date.UTC(2021, 6, 1))).toBe(120);
    expect(zoneOffsetAt('Asia/Kolkata', Date.UTC(2021, 6, 1))).toBe(330);
  });
});

describe('chooseDateTaken: priorities', () => {
  // The tags of metadata/dates/date-priority-test.jpg, plus the sub-second composites.
  const all = {
    SubSecDateTimeOriginal: '2023:01:01 01:00:00.5',
    DateTimeOriginal: '2023:02:02 02:00:00',
    SubSecCreateDate: '2023:03:03 03:00:00.5',
    CreateDate: '2023:04:04 04:00:00',
    CreationDate: '2023:05:05 05:00:00',
    DateTimeCreated: '2023:06:06 06:00:00',
    DateCreated: '2023:07:07 07:00:00',
    MediaCreateDate: '2023:07:17 07:00:00',
    GPSDateTime: '2023:08:08 08:00:00Z',
    DateTimeUTC: '2023:09:09 09:00:00',
    SonyDateTime2: '2023:11:11 11:00:00',
  };
  const order = [
    ['SubSecDateTimeOriginal', '2023-01-01T01:00:00.500'],
    ['DateTimeOriginal', '2023-02-02T02:00:00.000'],
    ['SubSecCreateDate', '2023-03-03T03:00:00.500'],
    ['CreateDate', '2023-04-04T04:00:00.000'],
    ['CreationDate', '2023-05-05T05:00:00.000'],
    ['DateTimeCreated', '2023-06-06T06:00:00.000'],
    ['DateCreated', '2023-07-07T07:00:00.000'],
    ['MediaCreateDate', '2023-07-17T07:00:00.000'],
    // UTC-only tags: the instant is known, the place is not.
    ['GPSDateTime', '2023-08-08T08:00:00.000+00:00'],
    ['DateTimeUTC', '2023-09-09T09:00:00.000+00:00'],
    ['SonyDateTime2', '2023-11-11T11:00:00.000+00:00'],
  ] as const;

  it('takes the first valid tag in priority order', () => {
    const tags: Record<string, string> = { ...all };
    for (const [tag, takenAt] of order) {
      expect(choose({ file: tags }), tag).toMatchObject({ tag, takenAt, timeZone: null, from: 'file' });
      delete tags[tag];
    }
    expect(choose({ file: tags })).toEqual({ takenAt: null, timeZone: null, tag: null, from: null, zoneFrom: null });
  });

  it('skips invalid values and goes on to the next tag', () => {
    expect(choose({ file: { DateTimeOriginal: '0000:00:00 00:00:00', CreateDate: '2019:05:06 07:08:09' } })).toMatchObject({
      tag: 'CreateDate',
      takenAt: '2019-05-06T07:08:09.000',
    });
  });

  it('keeps the year range sane: 1826 .. now + 1 year', () => {
    expect(choose({ file: { DateTimeOriginal: '1825:12:31 23:59:59' } }).takenAt).toBeNull();
    expect(choose({ file: { DateTimeOriginal: '1826:01:01 00:00:00' } }).takenAt).toBe('1826-01-01T00:00:00.000');
    expect(choose({ file: { DateTimeOriginal: '2027:06:01 00:00:00' } }).takenAt).toBe('2027-06-01T00:00:00.000');
    expect(choose({ file: { DateTimeOriginal: '2028:01:01 00:00:00' } }).takenAt).toBeNull();
    expect(choose({ file: { DateTimeOriginal: '2099:01:01 00:00:00', CreateDate: '2001:01:01 00:00:00' } }).tag).toBe('CreateDate');
  });

  it('combines IPTC DateCreated with TimeCreated, and ignores TimeCreated alone', () => {
    expect(choose({ file: { DateCreated: '2022:01:10', TimeCreated: '15:15:44-04:00' } })).toMatchObject({
      tag: 'DateCreated+TimeCreated',
      takenAt: '2022-01-10T15:15:44.000-04:00',
      timeZone: '-04:00',
    });
    // metadata/dates/time-created.jpg: a time of day is not a date.
    expect(choose({ file: { TimeCreated: '14:30:00+00:00' } }).takenAt).toBeNull();
  });

  it('falls back to a date without a time, after every full date-time', () => {
    expect(choose({ file: { DateCreated: '1965:07:14' } })).toMatchObject({ tag: 'DateCreated', takenAt: '1965-07-14T00:00:00.000' });
    expect(choose({ file: { DateCreated: '1965:07:14', GPSDateTime: '1965:07:14 12:00:00Z' } }).tag).toBe('GPSDateTime');
  });

  it('never uses ModifyDate or file dates', () => {
    expect(
      choose({ file: { ModifyDate: '2020:01:01 00:00:00', FileModifyDate: '2026:11:21 14:51:12+00:00', MetadataDate: '2020:01:01 00:00:00' } }).takenAt,
    ).toBeNull();
  });
});

describe('chooseDateTaken: time zones', () => {
  it('uses an offset inside the value', () => {
    expect(choose({ file: { CreateDate: '2000:09:27 14:35:33+02:00' } })).toMatchObject({
      takenAt: '2000-09-27T14:35:33.000+02:00',
      timeZone: '+02:00',
      zoneFrom: 'value',
    });
  });

  it('uses the matching offset tag, then OffsetTime', () => {
    const tags = {
      DateTimeOriginal: '2021:03:04 10:20:30',
      OffsetTimeOriginal: '+01:00',
      OffsetTimeDigitized: '+03:00',
      OffsetTime: '+05:00',
    };
    expect(choose({ file: tags })).toMatchObject({ takenAt: '2021-03-04T10:20:30.000+01:00', timeZone: '+01:00', zoneFrom: 'offset-tag' });
    expect(choose({ file: { CreateDate: '2021:03:04 10:20:30', OffsetTimeOriginal: '+01:00', OffsetTimeDigitized: '+03:00' } }).takenAt).toBe(
      '2021-03-04T10:20:30.000+03:00',
    );
    expect(choose({ file: { DateTimeOriginal: '2021:03:04 10:20:30', OffsetTime: '-07:00' } }).takenAt).toBe('2021-03-04T10:20:30.000-07:00');
  });

  it('reads maker-note TimeZone (Nikon: plus an hour in daylight saving) and EXIF TimeZoneOffset', () => {
    expect(choose({ file: { DateTimeOriginal: '2021:07:04 10:00:00', TimeZone: '+01:00' } }).takenAt).toBe('2021-07-04T10:00:00.000+01:00');
    expect(choose({ file: { DateTimeOriginal: '2021:07:04 10:00:00', TimeZone: '+01:00', DaylightSavings: 'Yes', Make: 'NIKON CORPORATION' } }).takenAt).toBe(
      '2021-07-04T10:00:00.000+02:00',
    );
    expect(choose({ file: { DateTimeOriginal: '2021:07:04 10:00:00', TimeZoneOffset: -5 } }).takenAt).toBe('2021-07-04T10:00:00.000-05:00');
  });

  it('infers the zone from GPS when no offset is written, with daylight saving', () => {
    expect(choose({ file: { DateTimeOriginal: '2025:12:01 11:30:00' }, gpsTimeZone: 'America/Denver' })).toMatchObject({
      takenAt: '2025-12-01T11:30:00.000-07:00',
      timeZone: 'America/Denver',
      zoneFrom: 'gps',
    });
    expect(choose({ file: { DateTimeOriginal: '2025:07:01 11:30:00' }, gpsTimeZone: 'America/Denver' }).takenAt).toBe('2025-07-01T11:30:00.000-06:00');
    // Not a zone: ignored.
    expect(choose({ file: { DateTimeOriginal: '2025:07:01 11:30:00' }, gpsTimeZone: 'UTC+2' }).timeZone).toBeNull();
  });

  it('names the GPS zone when it agrees with an explicit offset, and keeps the offset when it does not', () => {
    const paris = { DateTimeOriginal: '2021:01:04 10:20:30', OffsetTimeOriginal: '+01:00' };
    expect(choose({ file: paris, gpsTimeZone: 'Europe/Paris' })).toMatchObject({
      takenAt: '2021-01-04T10:20:30.000+01:00',
      timeZone: 'Europe/Paris',
    });
    // The camera says +09:00 (its clock was set in Tokyo); the explicit offset is kept.
    expect(choose({ file: { ...paris, OffsetTimeOriginal: '+09:00' }, gpsTimeZone: 'Europe/Paris' })).toMatchObject({
      takenAt: '2021-01-04T10:20:30.000+09:00',
      timeZone: '+09:00',
    });
  });

  it('shows a UTC instant (GPSDateTime) in the GPS zone', () => {
    // metadata/dates/gps-datetime.jpg: 12:30Z in San Francisco in November is 04:30 PST.
    expect(choose({ file: { GPSDateTime: '2023:11:15 12:30:00Z' }, gpsTimeZone: 'America/Los_Angeles' })).toMatchObject({
      takenAt: '2023-11-15T04:30:00.000-08:00',
      timeZone: 'America/Los_Angeles',
      tag: 'GPSDateTime',
    });
    // Without a zone, the instant stays in UTC and the zone is unknown.
    expect(choose({ file: { GPSDateTime: '2023:11:15 12:30:00' } })).toMatchObject({
      takenAt: '2023-11-15T12:30:00.000+00:00',
      timeZone: null,
    });
    // A UTC tag written with an offset is still an instant.
    expect(choose({ file: { GPSDateTime: '2023:11:15 12:30:00+01:00' } }).takenAt).toBe('2023-11-15T11:30:00.000+00:00');
    // With only an offset tag, the instant is shown at that offset.
    expect(choose({ file: { GPSDateTime: '2023:11:15 12:30:00Z', OffsetTime: '+01:00' } }).takenAt).toBe('2023-11-15T13:30:00.000+01:00');
  });

  it('treats an explicit +00:00 as an instant to show in the GPS zone when one is known', () => {
    expect(choose({ file: { CreateDate: '2020-06-01T10:00:00Z' } })).toMatchObject({ takenAt: '2020-06-01T10:00:00.000+00:00', timeZone: '+00:00' });
    expect(choose({ file: { CreateDate: '2020-06-01T10:00:00Z' }, gpsTimeZone: 'Europe/Berlin' })).toMatchObject({
      takenAt: '2020-06-01T12:00:00.000+02:00',
      timeZone: 'Europe/Berlin',
    });
  });

  it('handles wall-clock times in a DST gap and overlap without throwing', () => {
    // 02:30 does not exist in Paris on 2021-03-28; 02:30 happens twice on 2021-10-31.
    expect(choose({ file: { DateTimeOriginal: '2021:03:28 02:30:00' }, gpsTimeZone: 'Europe/Paris' }).takenAt).toBe('2021-03-28T02:30:00.000+02:00');
    expect(choose({ file: { DateTimeOriginal: '2021:10:31 02:30:00' }, gpsTimeZone: 'Europe/Paris' }).takenAt).toBe('2021-10-31T02:30:00.000+01:00');
  });

  it('returns no zone without a date', () => {
    expect(choose({ file: { OffsetTime: '+01:00' }, gpsTimeZone: 'Europe/Paris' })).toMatchObject({ takenAt: null, timeZone: null });
  });
});

describe('chooseDateTaken: sidecar', () => {
  const file = { DateTimeOriginal: '2010:02:13 14:55:31', OffsetTimeOriginal: '-05:00' };

  it("takes the sidecar's date over the file's, even a lower-priority tag", () => {
    expect(choose({ file, sidecar: { CreateDate: '2000:09:27 14:35:33+02:00' } })).toMatchObject({
      takenAt: '2000-09-27T14:35:33.000+02:00',
      timeZone: '+02:00',
      tag: 'CreateDate',
      from: 'sidecar',
    });
  });

  it('keeps the file date when the sidecar has none (or only a bad one)', () => {
    expect(choose({ file, sidecar: { ModifyDate: '2000:09:27 14:35:33+02:00', DateTimeOriginal: '0000:00:00 00:00:00' } })).toMatchObject({
      takenAt: '2010-02-13T14:55:31.000-05:00',
      from: 'file',
    });
    expect(choose({ file, sidecar: null }).from).toBe('file');
  });

  it("zones a wall-clock sidecar date: sidecar offsets, then GPS, then the file's offsets", () => {
    const sidecar = { DateTimeOriginal: '2009:11:28 13:42:39' };
    expect(choose({ file, sidecar: { ...sidecar, OffsetTimeOriginal: '+01:00' }, gpsTimeZone: 'America/New_York' }).takenAt).toBe(
      '2009-11-28T13:42:39.000+01:00',
    );
    expect(choose({ file, sidecar, gpsTimeZone: 'America/New_York' })).toMatchObject({
      takenAt: '2009-11-28T13:42:39.000-05:00',
      timeZone: 'America/New_York',
    });
    expect(choose({ file, sidecar })).toMatchObject({ takenAt: '2009-11-28T13:42:39.000-05:00', timeZone: '-05:00' });
    expect(choose({ file: { DateTimeOriginal: '2010:02:13 14:55:31' }, sidecar }).takenAt).toBe('2009-11-28T13:42:39.000');
  });
});

describe('chooseDateTaken: QuickTime videos', () => {
  // An iPhone MOV as ExifTool prints it: the movie header's CreateDate in UTC without a zone, the Keys CreationDate
  // in the phone's local time with its offset.
  const iphone = {
    MIMEType: 'video/quicktime',
    CreateDate: '2024:05:01 08:30:00',
    MediaCreateDate: '2024:05:01 08:30:00',
    CreationDate: '2024:05:01 10:30:00+02:00',
  };

  it('takes the Keys CreationDate, with its zone, before the UTC CreateDate', () => {
    expect(choose({ file: iphone })).toMatchObject({ takenAt: '2024-05-01T10:30:00.000+02:00', tag: 'CreationDate' });
  });

  it('reads a QuickTime CreateDate as UTC, shown in the zone of the place when known', () => {
    const header = { MIMEType: 'video/mp4', CreateDate: '2024:05:01 08:30:00' };
    expect(choose({ file: header })).toMatchObject({ takenAt: '2024-05-01T08:30:00.000+00:00', timeZone: null, tag: 'CreateDate' });
    expect(choose({ file: header, gpsTimeZone: 'Europe/Lisbon' })).toMatchObject({ takenAt: '2024-05-01T09:30:00.000+01:00', timeZone: 'Europe/Lisbon' });
  });

  it("leaves a photo's CreateDate a wall-clock time (EXIF, not QuickTime)", () => {
    expect(choose({ file: { MIMEType: 'image/jpeg', CreateDate: '2024:05:01 08:30:00' } })).toMatchObject({
      takenAt: '2024-05-01T08:30:00.000',
      tag: 'CreateDate',
    });
  });
});
