// The rule a visitor's copy of an original is checked with: which tags still say where, or with which body, lens or
// owner, a photo was taken.
import { describe, expect, it } from 'vitest';
import { PRIVATE_TAGS, privateTagsIn } from '../../src/media/strip-metadata.js';

describe('privateTagsIn', () => {
  it('finds GPS, place names, serial numbers and owner names in any group', () => {
    const tags = {
      'GPS:GPSLatitude': 39.1,
      'XMP-exif:GPSLongitude': -108.4,
      'Composite:GPSPosition': '39.1 -108.4',
      'QuickTime:GPSCoordinates': '39.1 -108.4',
      'XMP-aux:SerialNumber': '062021002724',
      'ExifIFD:SerialNumber': 'x',
      'XMP-exifEX:LensSerialNumber': '4803006108',
      'Canon:InternalSerialNumber': 'y',
      'ExifIFD:OwnerName': 'Ann',
      'IPTC:City': 'Thompson Springs',
      'IPTC:Province-State': 'Utah',
      'IPTC:Country-PrimaryLocationName': 'United States',
      'IPTC:Sub-location': 'Main St',
      'XMP-photoshop:State': 'Utah',
      'XMP-iptcCore:Location': 'Trail',
      'XMP-iptcCore:CountryCode': 'US',
      'XMP-iptcExt:LocationCreatedCity': 'Moab',
    };
    expect(privateTagsIn(tags).sort()).toEqual(Object.keys(tags).sort());
  });

  it('leaves the rest alone: captions, camera model, dates, the file system and the tool', () => {
    const tags = {
      SourceFile: '/tmp/x.jpg',
      'System:FileName': 'x.jpg',
      'System:Directory': '/tmp/City',
      'ExifTool:ExifToolVersion': 13.5,
      'File:MIMEType': 'image/jpeg',
      'XMP-dc:Description': 'Early winter scene near Thompson Springs',
      'IFD0:Model': 'Canon EOS R5',
      'ExifIFD:DateTimeOriginal': '2022:01:10 15:15:44',
      'XMP-dc:Creator': 'Carol M. Highsmith',
      'ICC_Profile:ProfileDescription': 'sRGB',
    };
    expect(privateTagsIn(tags)).toEqual([]);
  });

  it('deletes GPS and serial numbers in every group (wildcards), and place names by their groups', () => {
    expect(PRIVATE_TAGS).toEqual(expect.arrayContaining(['GPS*', '*SerialNumber*', 'OwnerName', 'IPTC:City', 'XMP-photoshop:City', 'XMP-iptcExt:LocationCreated']));
  });
});
