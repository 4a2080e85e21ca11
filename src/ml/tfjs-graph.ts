// A TensorFlow.js graph model read from its local files (model.json and its weight shards): tfjs' own file loading
// needs fetch or tfjs-node, neither of which is used here, and nothing is ever fetched.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Tf from '@tensorflow/tfjs';

/** The graph model in `file` (its `.json`), weights read from beside it. */
export async function loadGraphModelFiles(tf: typeof Tf, file: string): Promise<Tf.GraphModel> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    modelTopology: object;
    format?: string;
    weightsManifest: { paths: string[]; weights: Tf.io.WeightsManifestEntry[] }[];
  };
  const buffers = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(path.join(path.dirname(file), p))));
  const weightData = Buffer.concat(buffers);
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      format: json.format,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
    }),
  );
}

/** A model file inside the installed @vladmandic/human (its package exports hide package.json and models/). */
export function humanModelFile(resolve: (id: string) => string, name: string): string {
  return path.join(path.dirname(path.dirname(resolve('@vladmandic/human'))), 'models', name);
}
