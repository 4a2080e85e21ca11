import { useEffect, useMemo, useState } from 'react';
import '../styles/create.css';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { GenerationJobs } from '../components/create/GenerationJobs.js';
import { ProductShotsForm } from '../components/create/ProductShotsForm.js';
import { CountField, SizeField } from '../components/create/Fields.js';
import { generate, getProviders, inspire, SIZES, thumbnailUrl, type GenerationJobInfo, type ProvidersAnswer } from '../client/create.js';
import { useLocation } from '../lib/router.js';
import { errorText } from '../lib/errors.js';

/**
 * Create: images from a prompt (or "inspired by" a photo: ?from=ID), and product-shot sets (?products=ID,ID).
 * Jobs show below as they run, their images appearing as each is stored.
 */
export function CreatePage() {
  const { search } = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const from = params.get('from');
  const products = params.get('products')?.split(',').filter(Boolean) ?? [];
  const [providers, setProviders] = useState<ProvidersAnswer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [started, setStarted] = useState<GenerationJobInfo[]>([]);

  useEffect(() => {
    document.title = 'Create · Shoebox';
    const controller = new AbortController();
    getProviders(controller.signal).then(setProviders, (error: unknown) => {
      if (!controller.signal.aborted) setLoadError(errorText(error));
    });
    return () => controller.abort();
  }, []);

  const onStarted = (job: GenerationJobInfo) => {
    setStarted((jobs) => [job, ...jobs]);
    void getProviders().then(setProviders, () => undefined); // the quota moved
  };

  if (loadError) return <ErrorPanel title="Cannot load the image generators" message={loadError} onRetry={() => window.location.reload()} />;
  if (!providers) {
    return (
      <main className="create-page">
        <h1>Create</h1>
        <p className="muted" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> Loading…
        </p>
      </main>
    );
  }
  return (
    <main className="create-page">
      <div className="page-head">
        <h1>Create</h1>
        <p className="page-head-sub muted" data-testid="create-quota">
          {providers.quota.limit === null
            ? 'No daily limit on generated images.'
            : `${providers.quota.left} of ${providers.quota.limit} images left in the last 24 hours.`}
        </p>
      </div>
      {!providers.configured ? (
        <section className="panel create-setup" data-testid="create-setup">
          <h2>No image generator is set up</h2>
          <p>
            Creating images needs a provider: an OpenAI-compatible images API (OpenAI, Azure OpenAI, LocalAI…) or a Stable Diffusion web UI started with{' '}
            <code>--api</code>.
          </p>
          <p className="create-setup-how">{providers.setup}</p>
          <p className="muted">The rest of Shoebox works without one.</p>
        </section>
      ) : products.length > 0 ? (
        <ProductShotsForm photoIds={products} providers={providers.providers} onStarted={onStarted} />
      ) : (
        <PromptForm providers={providers} from={from} onStarted={onStarted} />
      )}
      <GenerationJobs started={started} />
    </main>
  );
}

function PromptForm({ providers, from, onStarted }: { providers: ProvidersAnswer; from: string | null; onStarted: (job: GenerationJobInfo) => void }) {
  const defaultProvider = providers.providers.find((p) => p.default)?.name ?? providers.providers[0]?.name ?? '';
  const [prompt, setPrompt] = useState('');
  const [negative, setNegative] = useState('');
  const [size, setSize] = useState(SIZES[0]!.value);
  const [count, setCount] = useState(1);
  const [provider, setProvider] = useState(defaultProvider);
  const chosen = providers.providers.find((p) => p.name === provider);
  const [fromPhoto, setFromPhoto] = useState(Boolean(from));
  const [busy, setBusy] = useState<'inspire' | 'generate' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const writePrompt = async () => {
    if (!from) return;
    setBusy('inspire');
    setError(null);
    try {
      const written = await inspire(from);
      setPrompt(written.prompt);
      setNegative(written.negativePrompt ?? '');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy('generate');
    setError(null);
    try {
      const edit = Boolean(from && fromPhoto && chosen?.edits);
      const job = await generate({
        prompt,
        n: count,
        size,
        provider,
        ...(negative.trim() ? { negativePrompt: negative } : {}),
        ...(from ? { sourcePhotoId: from, mode: edit ? 'edit' : 'text' } : {}),
      });
      onStarted(job);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <form className="panel create-form" onSubmit={(event) => void submit(event)} data-testid="create-form">
      <h2>{from ? 'Inspired by a photo' : 'From a prompt'}</h2>
      {from ? (
        <div className="create-source">
          <img src={thumbnailUrl(from)} alt="The photo to start from" className="create-source-thumb" />
          <div className="create-source-actions">
            {providers.inspire ? (
              <button type="button" className="button" onClick={() => void writePrompt()} disabled={busy !== null} data-testid="inspire">
                {busy === 'inspire' ? 'Writing a prompt…' : 'Write a prompt from this photo'}
              </button>
            ) : (
              <p className="muted">Set SHOEBOX_CAPTION_URL (a vision model) to have a prompt written from the photo.</p>
            )}
            {chosen?.edits ? (
              <label className="create-check">
                <input type="checkbox" checked={fromPhoto} onChange={(event) => setFromPhoto(event.target.checked)} /> Start from the photo itself
                (image-to-image)
              </label>
            ) : null}
          </div>
        </div>
      ) : null}
      <label className="create-field">
        Prompt
        <textarea value={prompt} onChange={(event) => setPrompt(event.target.value)} rows={4} maxLength={4000} required data-testid="create-prompt" />
      </label>
      <label className="create-field">
        Leave out (optional)
        <input type="text" value={negative} onChange={(event) => setNegative(event.target.value)} maxLength={4000} placeholder="text, watermark, blur" />
      </label>
      <div className="create-row">
        <SizeField value={size} onChange={setSize} testId="create-size" />
        <CountField label="Images" value={count} onChange={setCount} testId="create-count" />
        {providers.providers.length > 1 ? (
          <label className="create-field">
            Provider
            <select value={provider} onChange={(event) => setProvider(event.target.value)} data-testid="create-provider">
              {providers.providers.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} ({p.kind}
                  {p.model ? `, ${p.model}` : ''})
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {error ? (
        <p className="banner banner-error" role="alert" data-testid="create-error">
          {error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button button-primary" disabled={busy !== null || !prompt.trim()} data-testid="create-submit">
          {busy === 'generate' ? 'Starting…' : 'Generate'}
        </button>
      </div>
    </form>
  );
}
