// What a file says of how it was made, read from real files as the metadata step reads them: lossless or not and
// the bits per colour by each format's own structure, the camera's maker notes, the software and XMP links of an
// editor's export.
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeMetadataReader } from '../../src/media/exiftool-reader.js';
import { readMetadata } from '../../src/media/metadata.js';
import { assets } from '../helpers/corpus.js';
import { withTempDir } from '../helpers/temp.js';

const format = (rel: string) => path.join(assets, 'formats', rel);
const read = async (file: string) => {
  const { encoding, lineage } = await readMetadata(file, { sidecar: null });
  return { encoding, lineage };
};

afterAll(closeMetadataReader);

describe('file facts', () => {
  it('tells lossless from lossy and reads the depth from each format, claiming nothing a format does not say', async () => {
    expect((await read(format('jpeg/el_torcal_rocks.jpeg'))).encoding).toEqual({ lossless: false, bitDepth: 8 });
    expect((await read(format('png/density_plot.png'))).encoding).toEqual({ lossless: true, bitDepth: 8 });
    expect((await read(format('webp/denali.webp'))).encoding).toEqual({ lossless: false, bitDepth: 8 });
    expect((await read(format('avif/10bit-HDR-P3-nclx.avif'))).encoding).toEqual({ lossless: null, bitDepth: 10 });
    expect((await read(format('heic/IMG_2682.heic'))).encoding).toEqual({ lossless: null, bitDepth: 8 });
    expect((await read(format('jxl/8bit-sRGB.jxl'))).encoding).toEqual({ lossless: null, bitDepth: null });
    await withTempDir('shoebox-file-facts-', async (dir) => {
      const source = sharp(format('jpg/el_torcal_rocks.jpg'));
      const made = async (name: string, encode: (image: Sharp) => Sharp) => {
        await encode(source.clone()).toFile(path.join(dir, name));
        return (await read(path.join(dir, name))).encoding;
      };
      expect(await made('lossless.webp', (i) => i.webp({ lossless: true }))).toEqual({ lossless: true, bitDepth: 8 });
      expect(await made('deep.png', (i) => i.toColourspace('rgb16').png())).toEqual({ lossless: true, bitDepth: 16 });
      expect(await made('palette.png', (i) => i.png({ palette: true }))).toEqual({ lossless: null, bitDepth: null });
      expect(await made('lzw.tif', (i) => i.toColourspace('rgb16').tiff({ compression: 'lzw' }))).toEqual({ lossless: true, bitDepth: 16 });
      expect(await made('jpeg.tif', (i) => i.tiff({ compression: 'jpeg' }))).toEqual({ lossless: false, bitDepth: 8 });
    });
  });

  it("reads the camera's maker notes, the software that wrote a file and its XMP links", async () => {
    // an iPhone's HEIC: Apple's maker notes, the iOS version as its software
    expect((await read(format('heic/IMG_2682.heic'))).lineage).toEqual({
      makerNotes: true,
      software: ['12.1.4'],
      documentId: null,
      instanceId: null,
      originalDocumentId: null,
      derivedFrom: [],
    });
    // a Lightroom export: no maker notes, Lightroom as its software, derived from the document it names
    expect((await read(format('jpeg/el_torcal_rocks.jpeg'))).lineage).toEqual({
      makerNotes: false,
      software: ['Adobe Photoshop Lightroom 4.1 (Macintosh)'],
      documentId: 'xmp.did:59BA8EB75D3211EE987A922C7859C2DE',
      instanceId: 'xmp.iid:59BA8EB65D3211EE987A922C7859C2DE',
      originalDocumentId: 'E9B66B6EC372CF3D6CA65AB1F6C56628',
      derivedFrom: ['xmp.did:FB7F117407206811822AC24C5D58C634', 'xmp.iid:FB7F117407206811822AC24C5D58C634'],
    });
  });

  it('keeps no control character of the texts, as the other tags (ExifTool drops a NUL itself)', async () => {
    // control characters written raw into the XMP, as a careless writer may: an editor's name split by one still names it
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
        xmlns:stRef="http://ns.adobe.com/xap/1.0/sType/ResourceRef#">
      <xmp:CreatorTool>Adobe Photo\u0001shop\u001f 25.0\u007f</xmp:CreatorTool><xmpMM:DocumentID>xmp.did:\u0000AB\u0007C</xmpMM:DocumentID>
      <xmpMM:DerivedFrom rdf:parseType="Resource"><stRef:documentID>xmp.did:S1\u0002</stRef:documentID></xmpMM:DerivedFrom>
      </rdf:Description></rdf:RDF></x:xmpmeta>`;
    await withTempDir('shoebox-file-facts-', async (dir) => {
      const file = path.join(dir, 'controls.jpg');
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
        .jpeg()
        .withXmp(xmp)
        .toFile(file);
      const { lineage } = await read(file);
      expect(lineage).toMatchObject({ software: ['Adobe Photoshop 25.0'], documentId: 'xmp.did:ABC', derivedFrom: ['xmp.did:S1'] });
    });
  });
});
