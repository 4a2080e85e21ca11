// The objects module: Human's CenterNet on the tfjs wasm runtime, run in the faces worker threads (ml/faces/index.ts's
// pool), boxes decoded in decode.ts, classes and their words in model/object-classes.ts.
export { decodeDetections, suppressOverlaps, type DetectedObject } from './decode.js';
export { detectObjects, loadObjectsModel } from './detect.js';
export { OBJECTS_SETTINGS, OBJECTS_VERSION } from './settings.js';
