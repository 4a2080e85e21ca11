// Lanes: the pipeline's steps grouped by the resource they wait on, each lane with its own queue and slots, so that
// a slow step (OCR on a big text photo, a caption endpoint that takes a minute, the one faces worker) holds only
// its own lane while thumbnails keep coming. Pure: which lane a step is in, and which lanes have work now.
import { decideStep, type StepName, type StepStatus } from './photo-state.js';

/**
 * quick: what makes a photo show in the library (thumbnail and preview, its date and place, PDQ and palette from
 * the same decode); clip: the image embedding and the tags read from it; faces (and objects, in the same thread) and ocr: their worker threads;
 * captions: a provider that may be remote and slow; duplicates: once hashes, embedding and date are in; video:
 * transcoding, one clip at a time by default.
 */
export const LANE_NAMES = ['quick', 'clip', 'faces', 'ocr', 'captions', 'duplicates', 'video'] as const;
export type LaneName = (typeof LANE_NAMES)[number];

export const LANE_STEPS: Readonly<Record<LaneName, readonly StepName[]>> = {
  quick: ['preprocessing', 'metadata', 'hashes', 'palette'],
  clip: ['embeddings', 'tags'],
  // the objects detector runs in the faces worker, on the tfjs runtime its thread has started
  faces: ['faces', 'objects'],
  // codes are text read from the pixels too: beside OCR, off the quick lane that shows a photo
  ocr: ['ocr', 'codes'],
  // the catalogue fields come from the same endpoint as the captions, after them (a product's fallback reads its caption)
  captions: ['captions', 'catalogue'],
  duplicates: ['duplicates'],
  // a clip browsers cannot play, made playable: minutes of CPU that must never hold the thumbnails of the quick lane
  video: ['transcode'],
};

/**
 * What an item in the trash still runs: its quick lane, what shows it there (thumbnail, date, place). The rest of its
 * work (the analysis lanes, the transcode) is skipped with IN_TRASH, stopped where it runs, and runs when the item is
 * restored (library/trash/trash.ts): a clip trashed mid-transcode frees the video lane.
 */
export const RUNS_IN_TRASH: readonly StepName[] = LANE_STEPS.quick;
export const IN_TRASH = 'in the trash: runs when the item is restored';
export const STOPPED_IN_TRASH: readonly StepName[] = LANE_NAMES.flatMap((lane) => LANE_STEPS[lane]).filter((step) => !RUNS_IN_TRASH.includes(step));

const LANE_OF = new Map<StepName, LaneName>(LANE_NAMES.flatMap((lane) => LANE_STEPS[lane].map((step) => [step, lane] as const)));

export function laneOf(step: StepName): LaneName {
  return LANE_OF.get(step)!;
}

export function isLaneName(value: string): value is LaneName {
  return (LANE_NAMES as readonly string[]).includes(value);
}

/**
 * Lanes with a step that can run or be skipped now. A lane with a step `running` is taken: whoever runs it
 * runs the lane's other steps too, and dispatches what follows when it ends.
 */
export function readyLanes(steps: Partial<Record<StepName, StepStatus>>): LaneName[] {
  return LANE_NAMES.filter(
    (lane) =>
      !LANE_STEPS[lane].some((step) => steps[step] === 'running') &&
      LANE_STEPS[lane].some((step) => {
        const decision = decideStep(step, steps).action;
        return decision === 'run' || decision === 'skip';
      }),
  );
}
