// How a generated photo was made: the prompt, the product shot, the provider and model, the photo it came from.
import type { PhotoFull } from '../../client/photo.js';
import { Link } from '../../lib/router.js';

export function ProvenanceSection({ provenance }: { provenance: NonNullable<PhotoFull['provenance']> }) {
  return (
    <section className="info-section" aria-labelledby="provenance-title" data-testid="provenance">
      <h2 id="provenance-title">Generated</h2>
      <dl className="provenance">
        <dt>Prompt</dt>
        <dd data-testid="provenance-prompt">{provenance.prompt}</dd>
        {provenance.negativePrompt ? (
          <>
            <dt>Left out</dt>
            <dd>{provenance.negativePrompt}</dd>
          </>
        ) : null}
        {provenance.shot ? (
          <>
            <dt>Product shot</dt>
            <dd>
              {provenance.shot} of a {provenance.productType}
              {provenance.composited ? ' (the product laid over the scene as photographed)' : ''}
            </dd>
          </>
        ) : null}
        <dt>By</dt>
        <dd>
          {provenance.provider} ({provenance.providerKind}
          {provenance.model ? `, ${provenance.model}` : ''}), {provenance.size}
          {provenance.seed !== null ? `, seed ${provenance.seed}` : ''}
        </dd>
        {provenance.sourcePhotoId ? (
          <>
            <dt>From</dt>
            <dd>
              <Link to={`/photos/${provenance.sourcePhotoId}`}>the photo it was made from</Link>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
