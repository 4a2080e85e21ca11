// The pure parts of videos: which ffmpeg is new enough, inputs read from local files only, ffprobe's answer read,
// whether browsers play a clip as it is (media/video/), which frames a clip is looked at by, and its people each once.
import { execFile } from 'node:child_process';
import { copyFile, chmod, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { browserPlayable } from '../../src/media/video/playable.js';
import { displaySize, parseProbe } from '../../src/media/video/probe.js';
import { decodeThreads, localInputsOnly, makeRunnable, newEnough } from '../../src/media/video/tools.js';
import type { VideoInfo } from '../../src/model/video.js';
import { keyframeTimes } from '../../src/media/video/keyframes.js';
import { transcodeArgs, transcodeLimits } from '../../src/media/video/transcode.js';
import { distinctFaces } from '../../src/ml/faces/distinct.js';

const h264: VideoInfo = {
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  width: 1920,
  height: 1080,
  rotation: 0,
  fps: 30,
  videoCodec: 'h264',
  audioCodec: 'aac',
  bitRate: 17_000_000,
};

describe('video tools', () => {
  it('prefers a system ffmpeg from 4.4 on (and any git build) to the npm one', () => {
    expect(newEnough('5.1.6-0+deb12u1')).toBe(true);
    expect(newEnough('4.4.2-0ubuntu0.22.04.1')).toBe(true);
    expect(newEnough('n6.1')).toBe(true);
    expect(newEnough('N-47683-g0e8eb07980-static')).toBe(true);
    expect(newEnough('4.3.1')).toBe(false);
    expect(newEnough('3.4.8')).toBe(false);
    expect(newEnough('unknown')).toBe(false);
  });

  it("gives npm's ffprobe its run bits when it was unpacked without them (its install script is not run)", async () => {
    const npm = (createRequire(import.meta.url)('@ffprobe-installer/ffprobe') as { path: string }).path;
    const copy = path.join(os.tmpdir(), `shoebox-ffprobe-${process.pid}`);
    await copyFile(npm, copy);
    try {
      await chmod(copy, 0o644);
      const version = () => promisify(execFile)(copy, ['-version'], { env: { GCONV_PATH: '/nonexistent' } });
      await expect(version()).rejects.toMatchObject({ code: 'EACCES' });
      await makeRunnable(copy);
      expect((await stat(copy)).mode & 0o777).toBe(0o755);
      expect((await version()).stdout).toMatch(/^ffprobe version /);
    } finally {
      await rm(copy, { force: true });
    }
  });

  it('bounds the decoder threads of each input once, before its -i', () => {
    const args = decodeThreads(['-ss', '1', '-skip_frame', 'nokey', '-i', 'a.mp4', '-i', 'b.mp4', '-f', 'null', '-'], 2);
    expect(args).toEqual(['-ss', '1', '-skip_frame', 'nokey', '-threads', '2', '-i', 'a.mp4', '-threads', '2', '-i', 'b.mp4', '-f', 'null', '-']);
    expect(decodeThreads(args, 2)).toEqual(args);
  });

  it("reads every input from a local file only, with a camera container's demuxer", () => {
    const only = ['-protocol_whitelist', 'file', '-format_whitelist', 'mov,matroska,avi,mpegts'];
    const args = localInputsOnly('ffmpeg', ['-ss', '1', '-i', 'a.mp4', '-f', 'null', '-']);
    expect(args).toEqual(['-ss', '1', ...only, '-i', 'a.mp4', '-f', 'null', '-']);
    expect(localInputsOnly('ffmpeg', args)).toEqual(args);
    expect(localInputsOnly('ffprobe', ['-show_streams', 'a.mp4'])).toEqual([...only, '-show_streams', 'a.mp4']);
  });
});

describe('ffprobe answers', () => {
  const answer = (streams: object[], format: object = { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '2.000000', bit_rate: '349284' }) =>
    JSON.stringify({ streams, format });

  it('reads the first video stream, its rotation (either way ffprobe says it), rate and codecs', () => {
    const probe = parseProbe(
      answer([
        {
          codec_type: 'video',
          codec_name: 'hevc',
          width: 1920,
          height: 1080,
          avg_frame_rate: '30000/1001',
          side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
        },
        { codec_type: 'audio', codec_name: 'aac' },
      ]),
      'clip',
    );
    expect(probe).toMatchObject({
      durationMs: 2000,
      width: 1920,
      height: 1080,
      rotation: 90,
      fps: 29.97,
      videoCodec: 'hevc',
      audioCodec: 'aac',
      bitRate: 349284,
    });
    expect(displaySize(probe)).toEqual({ width: 1080, height: 1920 });
    expect(
      parseProbe(answer([{ codec_type: 'video', codec_name: 'h264', width: 640, height: 480, r_frame_rate: '25/1', tags: { rotate: '270' } }]), 'old').rotation,
    ).toBe(270);
  });

  it('refuses a sound file, a cover picture alone, sizes no camera writes and days-long clips', () => {
    expect(() => parseProbe(answer([{ codec_type: 'audio', codec_name: 'aac' }]), 'memo.m4a')).toThrow(/memo\.m4a: no video stream \(audio only\)/);
    expect(() => parseProbe(answer([{ codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } }]), 'song')).toThrow(
      /no video stream/,
    );
    expect(() => parseProbe(answer([{ codec_type: 'video', codec_name: 'h264', width: 100000, height: 100000 }]), 'huge')).toThrow(/over the 268 MP limit/);
    expect(() => parseProbe(answer([{ codec_type: 'video', codec_name: 'h264', width: 0, height: 0 }]), 'none')).toThrow(/without a frame size/);
    expect(() => parseProbe(answer([{ codec_type: 'video', codec_name: 'h264', width: 640, height: 480 }], { duration: '360000' }), 'long')).toThrow(
      /100 hours long, over the 24-hour limit/,
    );
    expect(() => parseProbe('not json', 'x')).toThrow(/no readable answer/);
  });
});

describe('browserPlayable', () => {
  it('serves H.264, VP9 or AV1 in MP4 and MOV, and WebM, as they are', () => {
    expect(browserPlayable(h264)).toEqual({ playable: true, contentType: 'video/mp4' });
    expect(browserPlayable({ ...h264, videoCodec: 'av1', audioCodec: null })).toEqual({ playable: true, contentType: 'video/mp4' });
    expect(browserPlayable({ ...h264, container: 'matroska,webm', videoCodec: 'vp9', audioCodec: 'opus' })).toEqual({
      playable: true,
      contentType: 'video/webm',
    });
  });

  it('transcodes HEVC, ProRes, AVI, MTS, H.264 in Matroska, PCM sound and very high bit rates, saying why', () => {
    expect(browserPlayable({ ...h264, videoCodec: 'hevc' })).toEqual({ playable: false, reason: 'HEVC (H.265) video does not play in every browser' });
    expect(browserPlayable({ ...h264, videoCodec: 'prores' })).toMatchObject({ playable: false, reason: expect.stringMatching(/ProRes/) });
    expect(browserPlayable({ ...h264, container: 'avi', videoCodec: 'mpeg4' })).toMatchObject({ playable: false, reason: 'AVI files do not play in browsers' });
    expect(browserPlayable({ ...h264, container: 'mpegts' })).toMatchObject({ playable: false, reason: expect.stringMatching(/MTS/) });
    expect(browserPlayable({ ...h264, container: 'matroska,webm' })).toMatchObject({ playable: false, reason: expect.stringMatching(/Matroska/) });
    expect(browserPlayable({ ...h264, audioCodec: 'pcm_s16le' })).toMatchObject({ playable: false, reason: 'PCM sound does not play in browsers' });
    expect(browserPlayable({ ...h264, bitRate: 150_000_000 })).toMatchObject({ playable: false, reason: '150 Mbit/s is too much to stream' });
  });
});

describe('keyframeTimes', () => {
  it('spreads one frame per two seconds over the clip, two at least and eight at most, at the middles of equal parts', () => {
    expect(keyframeTimes(null)).toEqual([]);
    expect(keyframeTimes(300)).toEqual([]); // a few frames: the poster is all there is
    expect(keyframeTimes(2000)).toEqual([500, 1500]);
    expect(keyframeTimes(10_000)).toEqual([1000, 3000, 5000, 7000, 9000]);
    const film = keyframeTimes(2 * 3600 * 1000);
    expect(film).toHaveLength(8);
    expect(film[0]).toBe(450_000);
    expect(film[7]).toBe(6_750_000);
  });
});

describe('distinctFaces', () => {
  const face = (x: number, score: number, embedding: number[]) => ({
    face: { box: { x, y: 0, width: 100, height: 100 }, score, landmarks: null, embedding: Float32Array.from(embedding) },
  });
  it("keeps each person of a clip's frames once, on the clearest frame", () => {
    const anna = [face(0, 0.7, [1, 0, 0]), face(10, 0.95, [0.98, 0.05, 0]), face(20, 0.8, [0.97, 0, 0.1])];
    const ben = [face(300, 0.9, [0, 1, 0])];
    const kept = distinctFaces([...anna, ...ben], 0.3);
    expect(kept.map((entry) => entry.face.box.x).sort((a, b) => a - b)).toEqual([10, 300]);
  });
  it('keeps two people who only look alike beyond the distance apart', () => {
    expect(distinctFaces([face(0, 0.9, [1, 0, 0]), face(1, 0.9, [0.5, 0.87, 0])], 0.3)).toHaveLength(2);
  });
});

describe('transcodeArgs', () => {
  it('asks a GPU encoder at a quality like the CPU one, frames handed over in the layout it takes', () => {
    const cpu = transcodeArgs('in.mov', 'out.mp4', 1080);
    // threads bounded on both sides whatever the cores (a 4K HEVC clip held 720 MB with 8 decoding, 12 encoding)
    expect(cpu.slice(0, 4)).toEqual(['-threads', '4', '-i', 'in.mov']);
    expect(cpu.slice(cpu.indexOf('libx264'), cpu.indexOf('libx264') + 3)).toEqual(['libx264', '-threads', '4']);
    expect(cpu).toEqual(expect.arrayContaining(['libx264', '-crf', '23', 'yuv420p', '+faststart']));
    const nvenc = transcodeArgs('in.mov', 'out.mp4', 1080, { hwaccel: 'nvenc' });
    expect(nvenc[nvenc.indexOf('-c:v') + 1]).toBe('h264_nvenc');
    expect(nvenc).toEqual(expect.arrayContaining(['-cq', '23']));
    const vaapi = transcodeArgs('in.mov', 'out.mp4', 1080, { hwaccel: 'vaapi', vaapiDevice: '/dev/dri/renderD129' });
    expect(vaapi.slice(0, 6)).toEqual(['-vaapi_device', '/dev/dri/renderD129', '-threads', '4', '-i', 'in.mov']);
    expect(vaapi[vaapi.indexOf('-vf') + 1]).toMatch(/^scale=.*,format=nv12,hwupload$/);
    expect(vaapi[vaapi.indexOf('-c:v') + 1]).toBe('h264_vaapi');
    const qsv = transcodeArgs('in.mov', 'out.mp4', 1080, { hwaccel: 'qsv' });
    expect(qsv[qsv.indexOf('-c:v') + 1]).toBe('h264_qsv');
    // whichever encoder: no metadata carried over, the sound as AAC
    for (const args of [cpu, nvenc, vaapi, qsv]) expect(args).toEqual(expect.arrayContaining(['-map_metadata', '-1', 'aac']));
  });

  it('writes each frame once at its own time, and stops one frame past the limit', () => {
    const args = transcodeArgs('in.mkv', 'out.mp4', 1080, { hwaccel: 'off' }, ['-fps_mode', 'vfr'], 265);
    expect(args).toEqual(expect.arrayContaining(['-fps_mode', 'vfr', '-frames:v', '266', '-progress', 'pipe:1']));
    expect(transcodeArgs('in.mkv', 'out.mp4', 1080)).toEqual(expect.arrayContaining(['-vsync', 'vfr']));
    expect(transcodeArgs('in.mkv', 'out.mp4', 1080)).not.toContain('-frames:v');
  });
});

describe('transcodeLimits', () => {
  it("gives a transcode time by the clip's frames where its timestamps make it hours long, and a tenth more frames out", () => {
    // as processor seconds for each of its 4 threads, and 10× on the clock for one that is stuck
    // 150 frames with a 10-hour jump: 2 minutes, not 60 hours
    expect(transcodeLimits(36_006_000, 150)).toEqual({ cpuSeconds: 480, timeoutMs: 1_200_000, maxFrames: 265 });
    // an hour at 30 frames a second: 6× its length either way
    expect(transcodeLimits(3_600_000, 108_000)).toEqual({ cpuSeconds: 86_400, timeoutMs: 216_000_000, maxFrames: 118_900 });
    // 60 frames a second: by its length (less than 200 ms a frame)
    expect(transcodeLimits(600_000, 36_000).cpuSeconds).toBe(14_400);
    // no frame count: by its length alone, no frame limit
    expect(transcodeLimits(600_000, null)).toEqual({ cpuSeconds: 14_400, timeoutMs: 36_000_000, maxFrames: null });
    expect(transcodeLimits(null, null)).toEqual({ cpuSeconds: 480, timeoutMs: 1_200_000, maxFrames: null });
  });
});
