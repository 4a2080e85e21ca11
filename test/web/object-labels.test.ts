// The objects overlay's labels and cap (web/src/components/objectLabels.ts): the confidence is in the label's text,
// since the boxes let the pointer through (a `title` never showed), and a busy photo gets its 20 surest boxes.
import { describe, expect, it } from 'vitest';
import { MOST_OBJECT_BOXES, objectLabel, objectsToDraw } from '../../web/src/components/objectLabels.js';

const box = { x: 0, y: 0, width: 10, height: 10 };

describe('object overlay labels', () => {
  it('says the class and the confidence in the text', () => {
    expect(objectLabel({ label: 'person', confidence: 0.874 })).toBe('person 87 %');
  });

  it('draws at most the 20 surest of a busy photo, surest first', () => {
    const objects = Array.from({ length: 45 }, (_, i) => ({ label: 'cup', confidence: (i + 1) / 100, box }));
    const drawn = objectsToDraw(objects);
    expect(MOST_OBJECT_BOXES).toBe(20);
    expect(drawn).toHaveLength(20);
    expect(drawn[0]!.confidence).toBe(0.45);
    expect(drawn.at(-1)!.confidence).toBe(0.26);
    expect(objectsToDraw(objects.slice(0, 3))).toHaveLength(3);
  });
});
