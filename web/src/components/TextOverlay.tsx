import type { PhotoDetail } from '../api.js';

type Word = NonNullable<PhotoDetail['ocr']>['words'][number];

interface Props {
  words: readonly Word[];
  /** The picture's size in pixels: the boxes are in those coordinates. */
  width: number;
  height: number;
}

/**
 * The words read on the photo, each over where it is: a box, and the word itself as real text stretched to it
 * (transparent), so that it can be selected and copied like text on a page. An SVG in the picture's own
 * coordinates scales with it at any size and zoom. On it, a drag or a double click selects instead of panning or zooming.
 */
export function TextOverlay({ words, width, height }: Props) {
  if (words.length === 0 || width <= 0 || height <= 0) return null;
  return (
    <svg
      className="text-overlay"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="group"
      aria-label="Text on the photo"
      data-testid="text-overlay"
      data-keeps-pointer
    >
      {words.map((word, index) => (
        <g key={index} data-testid="text-word" data-text={word.text}>
          <rect className="text-word-box" x={word.box.x} y={word.box.y} width={word.box.width} height={word.box.height} rx={word.box.height * 0.15} />
          <text
            className="text-word"
            x={word.box.x}
            y={word.box.y + word.box.height * 0.8}
            fontSize={word.box.height * 0.85}
            textLength={word.box.width}
            lengthAdjust="spacingAndGlyphs"
          >
            {word.text}
          </text>
          <title>{`${word.text} (${Math.round(word.confidence)} % sure)`}</title>
        </g>
      ))}
    </svg>
  );
}
