// TensorFlow.js on its WebAssembly backend, started once per thread: face-api's node-wasm build carries
// @tensorflow/tfjs, and the faces worker runs face-api's landmarks, the iris model and the objects detector on it.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import type * as FaceApi from '@vladmandic/face-api';

/**
 * face-api's `tf` is the @tensorflow/tfjs package itself (the node-wasm build requires it), with the wasm
 * backend registered; face-api's bundled typings describe only part of it.
 */
export type Tfjs = typeof Tf & { setWasmPaths(prefix: string): void };

const require = createRequire(import.meta.url);
let starting: Promise<{ faceapi: typeof FaceApi; tf: Tfjs }> | null = null;

/** face-api and its tf with the wasm backend ready; a failed start is tried again by the next call. */
export function tfjsWasm(): Promise<{ faceapi: typeof FaceApi; tf: Tfjs }> {
  starting ??= (async () => {
    // The node-wasm build is CommonJS and needs @tensorflow/tfjs + tfjs-backend-wasm beside it.
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
    const tf = faceapi.tf as unknown as Tfjs;
    // A directory path, not a URL: Emscripten reads it with fs in Node (fetch cannot read file://).
    tf.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to start');
    await tf.ready();
    return { faceapi, tf };
  })();
  starting.catch(() => {
    starting = null;
  });
  return starting;
}
