import type { PaletteColour } from '../api.js';
import { formatPercent } from '../lib/format.js';

/** The photo's dominant colours: a bar in proportion to their shares, then each swatch with its code. */
export function Palette({ colours }: { colours: readonly PaletteColour[] }) {
  const sum = colours.reduce((s, c) => s + c.share, 0) || 1;
  return (
    <div className="palette" data-testid="palette">
      <div className="palette-bar" aria-hidden="true">
        {colours.map((colour, i) => (
          <span key={i} style={{ background: colour.hex, flexGrow: colour.share / sum }} />
        ))}
      </div>
      <ul className="swatches" role="list">
        {colours.map((colour, i) => (
          <li key={i} className="swatch" data-testid="swatch" data-hex={colour.hex}>
            <span className="swatch-chip" style={{ background: colour.hex }} aria-hidden="true" />
            <code className="swatch-hex">{colour.hex}</code>
            <span className="swatch-share">{formatPercent(colour.share)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
