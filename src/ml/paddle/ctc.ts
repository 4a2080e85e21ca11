// Greedy CTC decoding of the recogniser's output: per time step the likeliest class; repeats merged, the blank
// (class 0) dropped. Each character keeps its time step, so words can be placed along their line. Pure.

export interface DecodedChar {
  char: string;
  /** Probability of the class at its first step, 0–1. */
  confidence: number;
  /** The time step it was read at (0 … steps − 1), for its place along the line. */
  step: number;
  /**
   * The highest probability of a space at the steps since the character before (0 for the first): the model often
   * leaves a narrow word gap blank, yet gives the space some probability there.
   */
  spaceBefore: number;
}

export interface DecodedLine {
  text: string;
  /** Mean of the characters' confidences, 0–1 (0 for an empty line). */
  confidence: number;
  chars: DecodedChar[];
  /** Time steps of the line (the input width ÷ the model's stride). */
  steps: number;
}

/**
 * Decodes `count` lines of `steps` × `classes` probabilities (row-major, one line after the other). `charset[i]` is
 * class i's character; class 0 is the blank.
 */
export function ctcDecode(probs: Float32Array, count: number, steps: number, classes: number, charset: readonly string[]): DecodedLine[] {
  const space = charset.lastIndexOf(' ');
  if (probs.length !== count * steps * classes) throw new RangeError(`expected ${count}×${steps}×${classes} values, got ${probs.length}`);
  if (charset.length !== classes) throw new RangeError(`the character set has ${charset.length} entries for ${classes} classes`);
  const lines: DecodedLine[] = [];
  for (let line = 0; line < count; line++) {
    const chars: DecodedChar[] = [];
    let previous = -1;
    let spaceSince = 0;
    for (let step = 0; step < steps; step++) {
      const offset = (line * steps + step) * classes;
      if (space > 0) spaceSince = Math.max(spaceSince, probs[offset + space]!);
      let best = 0;
      let bestP = probs[offset]!;
      for (let c = 1; c < classes; c++) {
        const p = probs[offset + c]!;
        if (p > bestP) {
          best = c;
          bestP = p;
        }
      }
      if (best !== 0 && best !== previous) {
        chars.push({ char: charset[best]!, confidence: bestP, step, spaceBefore: chars.length === 0 ? 0 : spaceSince });
        spaceSince = 0;
      }
      previous = best;
    }
    const confidence = chars.length ? chars.reduce((sum, c) => sum + c.confidence, 0) / chars.length : 0;
    lines.push({ text: chars.map((c) => c.char).join(''), confidence, chars, steps });
  }
  return lines;
}
