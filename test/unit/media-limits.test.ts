// The bounds on hostile media: sidecar shapes, keyword caps, PNG compressed text, decoded sizes, child memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { ExifTool } from 'exiftool-vendored';
import { describe, expect, it } from 'vitest';
import { decoderMemoryBytes, isOutOfMemory, ranOutOfCpu, withLimits } from '../../src/media/child-limits.js';
import { checkDeclaredSize, ImageDecodeError, LIMIT_INPUT_PIXELS } from '../../src/media/decoders/common.js';
import { runTool } from '../../src/media/decoders/tools.js';
import { watchedExiftoolFactory } from '../../src/media/exiftool-process.js';
import { compressedStart, copyPngWithout, oversizedPngChunks } from '../../src/media/png-text.js';
import { capKeywords, MAX_XMP_DEPTH, shapeProblem, xmpShape } from '../../src/media/sidecar-limits.js';

describe('XMP sidecar shape', () => {
  it('measures depth, distinct names and nodes in one pass', () => {
    const xmp =
      '<x:xmpmeta><rdf:RDF><rdf:Description rdf:about="" xmp:Rating="3"><dc:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li></rdf:Bag></dc:subject><x:e/></rdf:Description></rdf:RDF></x:xmpmeta>';
    expect(xmpShape(xmp)).toEqual({ depth: 6, names: 9, nodes: 10 });
    expect(xmpShape('<?xpacket begin=""?><!-- note --><a></a>')).toMatchObject({ depth: 1, nodes: 1 });
  });

  it('measures a hostile sidecar in linear time (an unclosed tag, a long name without `=`)', () => {
    const started = performance.now();
    expect(xmpShape(`<x ${'a'.repeat(60_000)} ${'b'.repeat(60_000)}`).nodes).toBe(0);
    expect(xmpShape(`<x ${'a'.repeat(120_000)}>`)).toMatchObject({ nodes: 1 });
    expect(xmpShape(`<x ${'a '.repeat(60_000)}b="1" c = "2">`)).toMatchObject({ nodes: 3 });
    expect(performance.now() - started).toBeLessThan(500); // the regexes took seconds, minutes for a 4 MB sidecar
  });

  it('refuses deep nesting, too many names and too many nodes, and takes ordinary sidecars', () => {
    expect(shapeProblem({ depth: MAX_XMP_DEPTH + 1, names: 10, nodes: 10 })).toBe('its elements nest 101 deep, over the limit of 100');
    expect(shapeProblem({ depth: 5, names: 5001, nodes: 6000 })).toMatch(/more than 5,000 different names/);
    expect(shapeProblem({ depth: 5, names: 50, nodes: 25_001 })).toBe('it has 25,001 elements and attributes, over the limit of 25,000');
    expect(shapeProblem({ depth: 12, names: 400, nodes: 3000 })).toBeNull();
  });

  it('caps keywords and says what it left out', () => {
    expect(capKeywords(['a', 'b'])).toEqual({ keywords: ['a', 'b'], note: null });
    const many = Array.from({ length: 1200 }, (_, i) => `k${i}`);
    expect(capKeywords([...many, 'y'.repeat(201)])).toEqual({
      keywords: many.slice(0, 1000),
      note: 'kept the first 1,000 of 1,200 keywords; left out 1 keyword longer than 200 characters',
    });
  });
});

describe('PNG compressed text', () => {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  it('finds where the compressed text of zTXt, iTXt and iCCP starts', () => {
    expect(compressedStart('zTXt', Buffer.from('Comment\0\0xyz', 'latin1'))).toBe(9);
    expect(compressedStart('iTXt', Buffer.from('XML:com.adobe.xmp\0\x01\0en\0\0xyz', 'latin1'))).toBe(24);
    expect(compressedStart('iTXt', Buffer.from('Title\0\0\0en\0\0plain', 'latin1'))).toBeNull();
    expect(compressedStart('tEXt', Buffer.from('Title\0text', 'latin1'))).toBeNull();
  });

  it('lists the text chunks over the limit and copies the file without them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'png-text-'));
    const small = chunk('zTXt', Buffer.concat([Buffer.from('Small\0\0', 'latin1'), deflateSync(Buffer.alloc(1000, 'a'))]));
    const big = chunk('iTXt', Buffer.concat([Buffer.from('Big\0\x01\0\0\0', 'latin1'), deflateSync(Buffer.alloc(3000, 'b'))]));
    const file = path.join(dir, 'a.png');
    writeFileSync(file, Buffer.concat([signature, small, big, chunk('IEND', Buffer.alloc(0))]));
    const skipped = await oversizedPngChunks(file, 2000);
    expect(skipped).toEqual([{ type: 'iTXt', offset: 8 + small.length, size: big.length, reason: 'iTXt chunk “Big” inflates to more than 0 MB' }]);
    await copyPngWithout(file, path.join(dir, 'b.png'), skipped!);
    expect(readFileSync(path.join(dir, 'b.png'))).toEqual(Buffer.concat([signature, small, chunk('IEND', Buffer.alloc(0))]));
    writeFileSync(path.join(dir, 'c.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    expect(await oversizedPngChunks(path.join(dir, 'c.jpg'))).toBeNull();
  });
});

describe('decoded size', () => {
  const pixels = (width: number, height: number, length = width * height * 3) => ({
    data: new Uint8Array(length),
    width,
    height,
    channels: 3 as const,
    decoder: 'test',
  });

  it('takes pixels of the declared size, either way round', () => {
    expect(checkDeclaredSize(pixels(4, 2), { width: 4, height: 2 }, 'x').width).toBe(4);
    expect(checkDeclaredSize(pixels(2, 4), { width: 4, height: 2 }, 'x').width).toBe(2);
    expect(checkDeclaredSize(pixels(2, 4), null, 'x').width).toBe(2);
  });

  it('refuses pixels of another size, or too few samples for their size', () => {
    expect(() => checkDeclaredSize(pixels(8, 8), { width: 1024, height: 1024 }, 'h.jxl')).toThrow(
      new ImageDecodeError('h.jxl: decoded to 8×8, but its header declares 1024×1024'),
    );
    expect(() => checkDeclaredSize(pixels(4, 4, 12), null, 'h.jxl')).toThrow(/decoded 12 samples, but a 4×4 image needs 48/);
  });
});

describe('child process memory', () => {
  it('sizes decoder limits by the declared pixels, the largest allowed when unknown', () => {
    expect(decoderMemoryBytes(12_000_000)).toBe(512 * 1024 * 1024 + 24 * 12_000_000);
    expect(decoderMemoryBytes(null)).toBe(512 * 1024 * 1024 + 24 * LIMIT_INPUT_PIXELS);
  });

  it.runIf(process.platform !== 'win32')('runs a program under the limit and reports when it is exceeded', async () => {
    const { command, args } = withLimits('sh', ['-c', 'ulimit -d'], 64 * 1024 * 1024);
    expect(await runTool(command, args)).toBe('65536\n');
    // perl building a 400 MB string under a 100 MB limit
    await expect(runTool('perl', ['-e', '$x = "a" x 400_000_000; print length $x'], 30_000, 100 * 1024 * 1024)).rejects.toThrow(
      'perl needed more than its 100 MB memory limit',
    );
    expect(isOutOfMemory('Out of memory!\n')).toBe(true);
  });

  it.runIf(process.platform !== 'win32')('limits processor time, not time waiting: a busy program ends at it, a waiting one does not', async () => {
    const run = (script: string) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) => {
        const started = Date.now();
        const { command, args } = withLimits('perl', ['-e', script], 64 * 1024 * 1024, 1);
        spawn(command, args, { stdio: 'ignore' }).on('close', (code, signal) => resolve({ code, signal, ms: Date.now() - started }));
      });
    const busy = await run('1 while 1');
    expect(ranOutOfCpu(busy.signal, false)).toBe(true);
    expect(busy.ms).toBeLessThan(20_000);
    // waiting (as a transcode waits for a processor on a busy machine) uses none of it
    const waiting = await run('sleep 2; print "done"');
    expect(waiting).toMatchObject({ code: 0, signal: null });
    expect(waiting.ms).toBeGreaterThanOrEqual(2000);
  });

  it.runIf(process.platform !== 'win32')(
    'starts ExifTool under its limit: past it, the read fails and the next one works',
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'exiftool-limit-'));
      // A zTXt of 300 MB of zeros (~300 KB): ExifTool inflates it whole.
      const z = deflateSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 });
      const head = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108020000009077533e', 'hex');
      const text = Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), z]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(text.length);
      writeFileSync(path.join(dir, 'bomb.png'), Buffer.concat([head, length, Buffer.from('zTXt'), text, Buffer.alloc(4)]));
      const et = new ExifTool({ processFactory: watchedExiftoolFactory(process.env, 150 * 1024 * 1024), maxProcs: 1, taskRetries: 0 });
      try {
        await expect(et.read(path.join(dir, 'bomb.png'))).rejects.toThrow(/Process terminated before task completed/);
        writeFileSync(path.join(dir, 'ok.png'), Buffer.concat([head, Buffer.from('0000000049454e44ae426082', 'hex')]));
        expect((await et.read(path.join(dir, 'ok.png'))).FileType).toBe('PNG');
      } finally {
        await et.end();
      }
    },
    60_000,
  );
});
