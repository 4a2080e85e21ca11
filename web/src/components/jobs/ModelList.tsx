import { useEffect, useState } from 'react';
import { listModels, type ModelList as Models } from '../../client/models.js';
import { formatBytes } from '../../lib/format.js';
import { featureLabel } from './steps.js';

const KIND_LABELS: Record<string, string> = { clip: 'CLIP (images and text)', faces: 'Faces', ocr: 'Text recognition' };

/** The AI models Shoebox knows: installed or not, in use or not, and what each one makes possible. */
export function ModelList() {
  const [models, setModels] = useState<Models | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    listModels(abort.signal).then(setModels, (e: unknown) => {
      if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    });
    return () => abort.abort();
  }, [attempt]);

  return (
    <section className="jobs-section" aria-labelledby="jobs-models-title">
      <h2 id="jobs-models-title">Models</h2>
      {error ? (
        <p role="alert" className="inline-error">
          Could not list the models: {error}{' '}
          <button type="button" className="button button-small" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </p>
      ) : null}
      {!models && !error ? <p className="muted">Loading the models…</p> : null}
      {models ? (
        <>
          <ul className="jobs-model-list">
            {models.items.map((model) => (
              <li
                key={model.name}
                className={`jobs-model${model.installed ? ' jobs-model-installed' : ''}`}
                data-testid="model"
                data-model={model.name}
                data-installed={model.installed}
              >
                <div className="jobs-model-head">
                  <span className="jobs-model-name">{model.name}</span>
                  <span className="muted jobs-model-kind">{KIND_LABELS[model.kind] ?? model.kind}</span>
                  <span className={`badge ${model.installed ? 'badge-completed' : ''}`}>{model.installed ? 'installed' : 'not installed'}</span>
                  {model.installed && model.inUse ? <span className="badge badge-processing">in use</span> : null}
                </div>
                <p className="jobs-model-description">{model.description}</p>
                <p className="jobs-model-enables">
                  <span className="muted">{model.installed ? 'Enables: ' : 'Would enable: '}</span>
                  {model.enables.map(featureLabel).join(', ')}
                </p>
                <p className="muted jobs-model-meta">
                  {model.sizeBytes > 0 ? `${model.installed ? '' : 'about '}${formatBytes(model.sizeBytes)}` : null}
                  {model.bundled ? ' · ships with Shoebox' : null}
                  {model.version && model.installed ? ` · ${model.version}` : null}
                </p>
                {!model.installed && !model.bundled ? (
                  <p className="jobs-model-install">
                    Install with <code>shoebox models pull {model.name}</code>
                    {model.inUse ? ' (this is the configured model of its kind)' : null}
                  </p>
                ) : null}
                {model.notes ? <p className="muted jobs-model-notes">{model.notes}</p> : null}
              </li>
            ))}
          </ul>
          <p className="muted">
            Captions:{' '}
            {models.captions.provider === 'fallback'
              ? 'composed from the tags (no caption endpoint is configured).'
              : `written by the configured caption endpoint (${models.captions.provider}).`}
          </p>
        </>
      ) : null}
    </section>
  );
}
