// The objects detector, measured (issue 64, item 1): Human's CenterNet on the corpus photos labelled by looking at them
// (test/corpus/objects-labels.json). Per class and cut: precision and recall by counts (a photo's detections of a class
// match its labelled objects of that class up to the smaller count; boxes are not compared). Cost: ms per photo for
// the detector (its own 512×512 decode included), as a ratio to a bare sharp decode of the same file in the same run.
// Usage: node --import tsx bench/objects/run.ts [--cut 0.2]
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { detectObjects, loadObjectsModel, OBJECTS_SETTINGS } from '../../src/ml/objects/index.js';
import { corpusPath } from '../../test/helpers/corpus.js';

const args = process.argv.slice(2);
const chosen = Number(args[args.indexOf('--cut') + 1] ?? 0) || OBJECTS_SETTINGS.minScore;
const CUTS = [0.15, 0.2, 0.25, 0.3, 0.4];
const labels = JSON.parse(fs.readFileSync(corpusPath('objects-labels.json'), 'utf8')) as { photos: Record<string, Record<string, number>> };

async function uprightSize(file: string) {
  const m = await sharp(file).metadata();
  return (m.orientation ?? 1) >= 5 ? { width: m.height!, height: m.width! } : { width: m.width!, height: m.height! };
}

const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
};

await loadObjectsModel();
const found: { file: string; truth: Record<string, number>; objects: { label: string; confidence: number }[] }[] = [];
let decodeMs = 0;
let detectMs = 0;
for (const [file, truth] of Object.entries(labels.photos)) {
  const path = corpusPath(file);
  const upright = await uprightSize(path);
  await detectObjects(path, upright, 0.1); // warm: the first run of a shape compiles kernels
  const [, decode] = await timed(() => sharp(path).rotate().raw().toBuffer());
  const [objects, detect] = await timed(() => detectObjects(path, upright, Math.min(...CUTS)));
  decodeMs += decode;
  detectMs += detect;
  found.push({ file, truth, objects });
}

/** True positives, detections and labelled objects per class at a cut. */
function counts(cut: number) {
  const byClass = new Map<string, { tp: number; detected: number; labelled: number }>();
  const at = (label: string) => byClass.get(label) ?? byClass.set(label, { tp: 0, detected: 0, labelled: 0 }).get(label)!;
  for (const { truth, objects } of found) {
    const detected = new Map<string, number>();
    for (const o of objects.filter((o) => o.confidence >= cut)) detected.set(o.label, (detected.get(o.label) ?? 0) + 1);
    for (const label of new Set([...detected.keys(), ...Object.keys(truth)])) {
      const c = at(label);
      const d = detected.get(label) ?? 0;
      const t = truth[label] ?? 0;
      c.tp += Math.min(d, t);
      c.detected += d;
      c.labelled += t;
    }
  }
  return byClass;
}

const pct = (a: number, b: number) => (b === 0 ? '—' : `${Math.round((100 * a) / b)} %`);
console.log(
  `${found.length} photos; detector ${(detectMs / found.length).toFixed(0)} ms a photo, bare sharp decode ${(decodeMs / found.length).toFixed(0)} ms: ${(detectMs / decodeMs).toFixed(2)}×`,
);
for (const cut of CUTS) {
  const all = [...counts(cut).values()].reduce((s, c) => ({ tp: s.tp + c.tp, detected: s.detected + c.detected, labelled: s.labelled + c.labelled }), {
    tp: 0,
    detected: 0,
    labelled: 0,
  });
  console.log(
    `cut ${cut}: precision ${pct(all.tp, all.detected)} (${all.tp}/${all.detected}), recall ${pct(all.tp, all.labelled)} (${all.tp}/${all.labelled})`,
  );
}
console.log(`\nper class at the cut ${chosen}:\n| class | labelled | detected | precision | recall |\n| --- | ---: | ---: | ---: | ---: |`);
for (const [label, c] of [...counts(chosen).entries()].sort((a, b) => b[1].labelled - a[1].labelled || a[0].localeCompare(b[0]))) {
  console.log(`| ${label} | ${c.labelled} | ${c.detected} | ${pct(c.tp, c.detected)} | ${pct(c.tp, c.labelled)} |`);
}
