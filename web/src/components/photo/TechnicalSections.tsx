// The technical end of the photo's info panel: its colour palette, the processing steps and the perceptual hash.
import { isTerminal } from '../../api.js';
import type { PhotoFull } from '../../client/photo.js';
import { Palette } from '../Palette.js';
import { StepsTable } from '../StepsTable.js';
import { stepNote } from './stepNote.js';

export function TechnicalSections({ photo }: { photo: PhotoFull }) {
  const terminal = isTerminal(photo.state);
  return (
    <>
      <section className="info-section" aria-labelledby="colours-title">
        <h2 id="colours-title">Colours</h2>
        {photo.palette && photo.palette.length > 0 ? <Palette colours={photo.palette} /> : <p className="muted">{stepNote(photo, 'palette', 'No palette.')}</p>}
      </section>

      <section className="info-section" aria-labelledby="pipeline-title">
        <h2 id="pipeline-title">Processing {!terminal ? <span className="spinner spinner-inline" aria-label="in progress" /> : null}</h2>
        <StepsTable steps={photo.steps} />
      </section>

      <section className="info-section" aria-labelledby="pdq-title">
        <h2 id="pdq-title">Perceptual hash (PDQ)</h2>
        {photo.pdq ? (
          <div className="pdq" data-testid="pdq">
            <code className="pdq-hash">{photo.pdq.hash}</code>
            <p className="sub">
              quality {photo.pdq.quality} / 100
              {photo.pdq.quality < 50 ? ' — too flat or featureless to match near-duplicates reliably' : ''}
            </p>
          </div>
        ) : (
          <p className="muted">{stepNote(photo, 'hashes', 'No hash.')}</p>
        )}
      </section>
    </>
  );
}
