// The first day's offer to an admin: without a CLIP model, search by meaning, tags and descriptions are off. One
// click downloads the offered model (the recommended one, or the one the server pins; Settings → Models shows the
// rest); "Not now" hides the offer in this browser. A download under way (ticked at set-up, or started in another
// tab) is shown with a link to its progress. Nothing is downloaded without that click (the egress rule).
import { useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { accountApi } from '../client/account.js';
import { installModel, listModels, type ModelInfo } from '../client/models.js';
import { formatBytes } from '../lib/format.js';
import { Link } from '../lib/router.js';

const DISMISSED = 'shoebox.modelOffer.dismissed';

/**
 * The offer as this tab last showed it, drawn at once when the gallery comes back from a photo: appearing a moment
 * later it pushed the gallery down under its restored scroll position. `undefined`: not shown in this tab yet.
 */
let shown: { model: ModelInfo; started: boolean } | null | undefined;

export function ModelOffer() {
  const [model, setModel] = useState<ModelInfo | null>(() => shown?.model ?? null);
  const [started, setStarted] = useState(() => shown?.started ?? false);
  const [error, setError] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState(() => {
    try {
      return window.localStorage.getItem(DISMISSED) === '1';
    } catch {
      return false;
    }
  });

  useEffect(() => {
    if (dismissed) return;
    const abort = new AbortController();
    // a press while the answer is awaited: the offer coming now would move what the finger or mouse is on
    let pressed = false;
    const onPress = () => (pressed = true);
    window.addEventListener('pointerdown', onPress, { capture: true, signal: abort.signal });
    void (async () => {
      const me = await accountApi.me();
      const models = me.role === 'admin' ? await listModels(abort.signal) : null;
      const clip = models?.items.find((m) => m.offered && !m.installed);
      // started at set-up or in another tab: say so, with the way to its progress, rather than offer it again
      const offer = clip ? { model: clip, started: clip.install?.state === 'downloading' } : null;
      // never shown in this tab, and the answer comes under a page already scrolled (a slow server; a gallery
      // restored on the way back from a photo) or being pressed (a finger on a tile would slide onto another):
      // shown on a later visit, rather than pushing what is on screen down by its height now
      if (shown === undefined && offer && (window.scrollY > 0 || pressed)) return;
      shown = offer;
      setModel(offer?.model ?? null);
      setStarted(offer?.started ?? false);
    })().catch(() => undefined); // the offer is a nicety: the pages report a server that cannot be reached
    return () => abort.abort();
  }, [dismissed]);

  if (dismissed || !model) return null;
  return (
    <div className="notice model-offer" role="region" aria-label="Smart search" data-testid="model-offer">
      <div className="notice-body">
        {started ? (
          <p>
            Downloading {model.name}… <Link to="/settings/models">See its progress</Link>. Your photos are analysed with it as soon as it is in place.
          </p>
        ) : (
          <p>
            <strong>Smart search is off.</strong> Search by meaning (“dog on a beach”), tags and descriptions need the {model.name} model: about{' '}
            {formatBytes(model.sizeBytes)}, downloaded from Hugging Face once. <Link to="/settings/models">All models</Link>
          </p>
        )}
        {error ? (
          <p role="alert" className="inline-error">
            {error}
          </p>
        ) : null}
      </div>
      {started ? null : (
        <div className="model-offer-actions">
          <button
            type="button"
            className="button button-primary"
            data-testid="model-offer-install"
            onClick={() =>
              installModel(model.name).then(
                () => {
                  shown = { model, started: true };
                  setStarted(true);
                },
                (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
              )
            }
          >
            Download
          </button>
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              try {
                window.localStorage.setItem(DISMISSED, '1');
              } catch {
                // storage off: hidden until the page is left
              }
              setDismissed(true);
            }}
          >
            Not now
          </button>
        </div>
      )}
    </div>
  );
}
