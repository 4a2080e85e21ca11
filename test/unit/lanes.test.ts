import { describe, expect, it } from 'vitest';
import { LaneQueue } from '../../src/pipeline/lane-queue.js';
import { LANE_NAMES, LANE_STEPS, laneOf, readyLanes, type LaneName } from '../../src/model/lanes.js';
import { decideStep, STEP_NAMES, type StepName, type StepStatus } from '../../src/model/photo-state.js';

const all = (status: StepStatus, overrides: Partial<Record<StepName, StepStatus>> = {}) => ({
  ...Object.fromEntries(STEP_NAMES.map((name) => [name, status])),
  ...overrides,
});

describe('lanes', () => {
  it('put every step in exactly one lane', () => {
    const steps = LANE_NAMES.flatMap((lane) => LANE_STEPS[lane]);
    expect([...steps].sort()).toEqual([...STEP_NAMES].sort());
    for (const step of STEP_NAMES) expect(LANE_STEPS[laneOf(step)]).toContain(step);
  });

  it('start a new photo in the quick lane only', () => {
    expect(readyLanes(all('pending'))).toEqual(['quick']);
  });

  it('open CLIP, faces and codes once the photo has its thumbnail, and the rest once CLIP has had its say', () => {
    const quickDone = all('pending', { preprocessing: 'done', metadata: 'done', hashes: 'done', palette: 'done' });
    // a video's steps: its transcode waits only for the poster's preprocessing; the ocr lane opens for the codes step
    // (OCR itself waits for CLIP's text gate)
    expect(readyLanes(quickDone)).toEqual(['clip', 'faces', 'ocr', 'video']);
    // a photo's transcode step is skipped from its arrival
    const photo = { ...quickDone, transcode: 'skipped' as const, codes: 'done' as const };
    expect(readyLanes(photo)).toEqual(['clip', 'faces']);
    const noClip = { ...photo, embeddings: 'skipped' as const, tags: 'skipped' as const };
    expect(readyLanes(noClip)).toEqual(['faces', 'ocr', 'captions', 'duplicates']);
  });

  it('have no work in a lane for a step the item has no row for, in a library that leaves it out', () => {
    const { catalogue: _catalogue, ...withoutCatalogue } = all('done', { catalogue: 'pending' });
    expect(readyLanes(all('done', { catalogue: 'pending' }))).toEqual(['captions']);
    expect(readyLanes(withoutCatalogue)).toEqual([]);
  });

  it('leave a lane whose step is running to whoever runs it', () => {
    expect(readyLanes(all('pending', { preprocessing: 'running' }))).toEqual([]);
    expect(readyLanes(all('done', { faces: 'running' }))).toEqual([]);
  });

  it('skip down the lanes when the file is unusable', () => {
    const failed = all('pending', { preprocessing: 'failed', metadata: 'done' });
    expect(readyLanes(failed)).toEqual(['quick', 'clip', 'faces', 'ocr', 'captions', 'duplicates', 'video']);
    expect(decideStep('faces', failed)).toEqual({ action: 'skip', reason: 'needs preprocessing, which failed' });
  });

  it('make a step wait for the results it uses, not only for those it needs', () => {
    const quickDone = all('pending', { preprocessing: 'done', metadata: 'done', hashes: 'done', palette: 'done' });
    expect(decideStep('ocr', quickDone)).toEqual({ action: 'wait' }); // CLIP may say there is text
    expect(decideStep('ocr', { ...quickDone, embeddings: 'failed' })).toEqual({ action: 'run' });
    expect(decideStep('duplicates', { ...quickDone, embeddings: 'done' })).toEqual({ action: 'run' });
  });
});

const tick = (ms = 2) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pipeline of plain lanes: each photo walks quick → faces → captions, each lane taking `ms`. */
function walk(queue: LaneQueue, log: { lane: LaneName; id: string; at: number }[], ms: Partial<Record<LaneName, number>> = {}) {
  const next: Partial<Record<LaneName, LaneName>> = { quick: 'faces', faces: 'captions' };
  const running: Record<string, number> = {};
  const peaks: Record<string, number> = {};
  queue.start({
    route: async () => ['quick'],
    run: async (id, lane) => {
      running[lane] = (running[lane] ?? 0) + 1;
      peaks[lane] = Math.max(peaks[lane] ?? 0, running[lane]!);
      log.push({ lane, id, at: performance.now() });
      await tick(ms[lane] ?? 2);
      running[lane]! -= 1;
      const to = next[lane];
      return to ? [to] : [];
    },
  });
  return peaks;
}

const concurrency = { quick: 2, clip: 1, faces: 1, ocr: 1, captions: 3, duplicates: 1, video: 1 };

describe('LaneQueue', () => {
  it('walks each photo through its lanes, each lane within its slots', async () => {
    const queue = new LaneQueue(concurrency);
    const log: { lane: LaneName; id: string; at: number }[] = [];
    const peaks = walk(queue, log, { captions: 10 });
    for (let i = 0; i < 12; i++) await queue.add(`p${i}`);
    await queue.idle();
    expect(await queue.depth()).toBe(0);
    for (const lane of ['quick', 'faces', 'captions'] as const) {
      expect(
        log
          .filter((e) => e.lane === lane)
          .map((e) => e.id)
          .sort(),
      ).toEqual(Array.from({ length: 12 }, (_, i) => `p${i}`).sort());
    }
    expect(peaks).toEqual({ quick: 2, faces: 1, captions: 3 });
  });

  it('holds the slow lanes while photos wait for their thumbnails', async () => {
    const queue = new LaneQueue(concurrency);
    const log: { lane: LaneName; id: string; at: number }[] = [];
    walk(queue, log, { quick: 5 });
    for (let i = 0; i < 10; i++) await queue.add(`p${i}`);
    await queue.idle();
    const lastQuick = Math.max(...log.filter((e) => e.lane === 'quick').map((e) => e.at));
    const faces = log.filter((e) => e.lane === 'faces').map((e) => e.at);
    // At most the photos that finished the quick lane while others still ran in it (never while some waited).
    expect(faces.filter((at) => at < lastQuick).length).toBeLessThanOrEqual(2);
  });

  it('counts a photo once however many lanes it is in, and reports a lane that throws', async () => {
    const errors: string[] = [];
    const queue = new LaneQueue(concurrency, (id, _error, lane) => errors.push(`${id}@${lane}`));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.start({
      route: async (id) => (id === 'both' ? ['faces', 'captions'] : ['quick']),
      run: async (id, lane) => {
        if (id === 'bad') throw new Error('boom');
        await gate;
        return lane === 'quick' ? [] : [];
      },
    });
    await queue.add('both');
    await queue.add('bad');
    await tick(20);
    expect(await queue.depth()).toBe(1);
    expect(queue.laneDepths().faces.running + queue.laneDepths().captions.running).toBe(2);
    release();
    await queue.idle();
    expect(errors).toEqual(['bad@quick']);
  });
});
