// The largest image any decoder of media/ accepts, and the size the decoders' child processes get memory for
// (child-limits.ts): one figure below both.

/** Largest image (width × height) any decoder accepts: sharp's own default, 0x3FFF² ≈ 268 MP. */
export const LIMIT_INPUT_PIXELS = 268_402_689;
