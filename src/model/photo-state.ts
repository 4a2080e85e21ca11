// The photo state machine, as pure functions: the database stores step statuses, the photo state follows from them.

/** Steps in the order they run. */
export const STEP_NAMES = [
  'preprocessing',
  'metadata',
  'hashes',
  'palette',
  'embeddings',
  'faces',
  'objects',
  'tags',
  'ocr',
  'codes',
  'captions',
  'catalogue',
  'duplicates',
  'transcode',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** Steps a setting may turn off (SHOEBOX_FACES, SHOEBOX_OBJECTS, SHOEBOX_OCR_ENGINE); their model version is then `off`. */
export const STEPS_A_SETTING_TURNS_OFF: readonly StepName[] = ['faces', 'objects', 'ocr'];
export const TURNED_OFF = 'off';

/** A version of the step recorded, or current, while a setting turned it off (`<code version>+off`). */
export function isTurnedOff(step: StepName, version: string): boolean {
  return STEPS_A_SETTING_TURNS_OFF.includes(step) && version.endsWith(`+${TURNED_OFF}`);
}

export const STEP_STATUSES = ['pending', 'running', 'done', 'skipped', 'failed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * Steps a library may go without (the catalogue, while its creation tools are off: library/create/switch.ts). Its
 * items then have no row for them, and an item without the row has no such work: not pending, not shown, not counted.
 */
export const STEPS_A_LIBRARY_LEAVES_OUT: readonly StepName[] = ['catalogue'];

/** The steps a library leaves out now, each with why (Resources.stepsLeftOut). */
export type StepsLeftOut = Partial<Record<StepName, string>>;

/** A step's status: pending until its row says otherwise, or null for a step its library may leave out and did. */
function statusOf(step: StepName, steps: Partial<Record<StepName, StepStatus>>): StepStatus | null {
  return steps[step] ?? (STEPS_A_LIBRARY_LEAVES_OUT.includes(step) ? null : 'pending');
}

export const PHOTO_STATES = ['pending', 'processing', 'completed', 'partial', 'failed'] as const;
export type PhotoState = (typeof PHOTO_STATES)[number];

export const TERMINAL_STATES: readonly PhotoState[] = ['completed', 'partial', 'failed'];

/** Steps whose failure means the file itself is unusable. */
const ESSENTIAL_STEPS: readonly StepName[] = ['preprocessing'];

/** What a step needs done before it can run. */
export const STEP_REQUIRES: Readonly<Record<StepName, readonly StepName[]>> = {
  preprocessing: [],
  metadata: [],
  hashes: ['preprocessing'],
  palette: ['preprocessing'],
  embeddings: ['preprocessing'],
  faces: ['preprocessing'],
  objects: ['preprocessing'],
  tags: ['embeddings'],
  ocr: ['preprocessing'],
  codes: ['preprocessing'],
  captions: ['preprocessing'],
  catalogue: ['preprocessing'],
  duplicates: ['preprocessing'],
  transcode: ['preprocessing'],
};

/**
 * Results a step reads when they are there, without needing them: OCR asks CLIP whether a photo holds text
 * (else a pixel heuristic decides), and the fallback caption is composed from the tags. Running such a step
 * again must run its users again.
 */
export const STEP_USES: Readonly<Partial<Record<StepName, readonly StepName[]>>> = {
  ocr: ['embeddings'],
  captions: ['tags'],
  // a product's colour comes from the palette; without a caption endpoint its fields come from the caption
  catalogue: ['captions', 'palette'],
  // copies are found by PDQ, CLIP and capture time: a new hash, embedding or date means looking again
  duplicates: ['hashes', 'embeddings', 'metadata'],
};

export function isStepName(value: string): value is StepName {
  return (STEP_NAMES as readonly string[]).includes(value);
}

export function isTerminal(state: string): boolean {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

/**
 * The photo's state from its steps: `failed` when an essential step failed, `partial` when any other failed,
 * `completed` when everything is done or skipped, otherwise `processing` (something ran) or `pending`. A photo
 * with a step that will be tried again by itself (`retrying`: it failed for want of a service) is not finished.
 */
export function derivePhotoState(steps: Partial<Record<StepName, StepStatus>>, options: { retrying?: boolean } = {}): PhotoState {
  const statuses = STEP_NAMES.map((name) => statusOf(name, steps)).filter((status) => status !== null);
  const unfinished = options.retrying || statuses.some((s) => s === 'pending' || s === 'running');
  if (!unfinished) {
    if (ESSENTIAL_STEPS.some((name) => steps[name] === 'failed')) return 'failed';
    if (statuses.includes('failed')) return 'partial';
    return 'completed';
  }
  return statuses.some((s) => s !== 'pending') ? 'processing' : 'pending';
}

export type StepDecision = { action: 'run' } | { action: 'skip'; reason: string } | { action: 'wait' } | { action: 'none' };

/**
 * Whether a step should run now, given the statuses of all steps. A step runs once what it needs is done and
 * what it uses (STEP_USES) has finished one way or another; it is skipped, with the reason, when something it
 * needs failed or was skipped. `running` counts as to do (a run cut short); callers that know someone is on it
 * treat it as taken.
 */
export function decideStep(step: StepName, steps: Partial<Record<StepName, StepStatus>>): StepDecision {
  const status = statusOf(step, steps);
  if (status !== 'pending' && status !== 'running') return { action: 'none' };
  for (const required of STEP_REQUIRES[step]) {
    const requiredStatus = steps[required] ?? 'pending';
    if (requiredStatus === 'failed' || requiredStatus === 'skipped') {
      return { action: 'skip', reason: `needs ${required}, which ${requiredStatus === 'failed' ? 'failed' : 'was skipped'}` };
    }
    if (requiredStatus !== 'done') return { action: 'wait' };
  }
  for (const used of STEP_USES[step] ?? []) {
    const usedStatus = steps[used] ?? 'pending';
    if (usedStatus === 'pending' || usedStatus === 'running') return { action: 'wait' };
  }
  return { action: 'run' };
}

/**
 * The pending steps to skip now, followed through what needs them (a file that cannot be decoded skips its embedding,
 * and so its tags). A skip waits on no lane's resource: the runner records them all when it settles the photo, so
 * that a failed photo is finished at once instead of in line behind other photos' captions in every lane.
 */
export function skipsNow(steps: Partial<Record<StepName, StepStatus>>): { step: StepName; reason: string }[] {
  const statuses = { ...steps };
  const skips: { step: StepName; reason: string }[] = [];
  for (let found = true; found;) {
    found = false;
    for (const step of STEP_NAMES) {
      if (statusOf(step, statuses) !== 'pending') continue;
      const decision = decideStep(step, statuses);
      if (decision.action !== 'skip') continue;
      statuses[step] = 'skipped';
      skips.push({ step, reason: decision.reason });
      found = true;
    }
  }
  return skips;
}

/** Statuses a retry puts back to pending: failures, and skips (a skip is caused by a failure or a missing model). */
export function stepsToRetry(steps: Partial<Record<StepName, StepStatus>>): StepName[] {
  return STEP_NAMES.filter((name) => steps[name] === 'failed' || steps[name] === 'skipped');
}

/** The step and every step that needs it, directly or not, in run order: what must run again when it does. */
export function withDependents(step: StepName): StepName[] {
  const result = new Set<StepName>([step]);
  for (const name of STEP_NAMES) {
    const inputs = [...STEP_REQUIRES[name], ...(STEP_USES[name] ?? [])];
    if (inputs.some((input) => result.has(input))) result.add(name);
  }
  return STEP_NAMES.filter((name) => result.has(name));
}
