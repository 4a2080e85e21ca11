// The first day's offer to an admin: without a CLIP model, search by meaning, tags and descriptions are off. One
// click downloads the offered model (the recommended one, or the one the server pins; Settings → Models shows the
// rest); "Not now" hides the offer in this browser. A download under way (ticked at set-up, or started in another
// tab) is shown with a link to its progress and followed until it ends: a failure is told here, where it was started,
// with the ways on (again, a zip, the CLI). Nothing is downloaded without that click (the egress rule).
import { useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { accountApi } from '../client/account.js';
import { installLabel, installModel, isStopped, listModels, type ModelInfo } from '../client/models.js';
import { formatBytes } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { InstallFailure } from './jobs/ModelInstallRoutes.js';

const DISMISSED = 'shoebox.modelOffer.dismissed';
/** How often a download under way is asked after, to tell its end. */
const FOLLOW_MS = 2000;

/**
 * The offer as this tab last showed it, drawn at once when the gallery comes back from a photo: appearing a moment
 * later it pushed the gallery down under its restored scroll position. `undefined`: not shown in this tab yet.
 */
let shown: { model: ModelInfo; started: boolean } | null | undefined;

/** The offer's model as the server has it now (its download's state with it), or null when it is no longer offered. */
async function offeredNow(signal: AbortSignal): Promise<ModelInfo | null> {
  return (await listModels(signal)).items.find((m) => m.offered && !m.installed) ?? null;
}

export function ModelOffer() {
  const [model, setModel] = useState<ModelInfo | null>(() => shown?.model ?? null);
  const [started, setStarted] = useState(() => shown?.started ?? false);
  const [error, setError] = useState<string | null>(null);
  /** The model whose download this offer followed to its end. */
  const [arrived, setArrived] = useState<string | null>(null);
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
      const clip = me.role === 'admin' ? await offeredNow(abort.signal) : null;
      // started at set-up or in another tab: say so, with the way to its progress (or how it failed), rather than offer it again
      const offer = clip ? { model: clip, started: clip.install !== null } : null;
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

  // a download under way is followed to its end: installed (the offer goes), failed (told here, with the ways on),
  // stopped, or interrupted by the server stopping (a restart: offered to resume, not "Downloading…" for ever)
  const downloading = started && model?.install?.state !== 'failed' && !isStopped(model?.install ?? null);
  /** Counts the asks that found no server (stopped, restarting): each failed ask is followed by another. */
  const [missed, setMissed] = useState(0);
  useEffect(() => {
    if (!downloading || dismissed) return;
    const abort = new AbortController();
    const timer = window.setTimeout(() => {
      offeredNow(abort.signal).then(
        (now) => {
          // a server that started again with nothing of the download left knows none: offered afresh
          shown = now ? { model: now, started: now.install !== null } : null;
          if (!now) setArrived(model!.name);
          setModel(now);
          setStarted(now?.install != null);
        },
        // a server that cannot be reached (stopping, starting again): asked again, so that the offer follows it
        // back to what is left of the download rather than saying "Downloading…" for ever
        () => {
          if (!abort.signal.aborted) setMissed((count) => count + 1);
        },
      );
    }, FOLLOW_MS);
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
  }, [downloading, dismissed, model, missed]);

  const start = () => {
    setError(null);
    installModel(model!.name).then(
      (install) => {
        const next = { ...model!, install };
        shown = { model: next, started: true };
        setModel(next);
        setStarted(true);
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  };
  // the zip route: its upload reports its own progress; once in place the offer goes
  const act = (work: () => Promise<unknown>) => {
    setError(null);
    work().then(
      () =>
        offeredNow(new AbortController().signal).then((now) => {
          shown = now ? { model: now, started: true } : null;
          setModel(now);
        }),
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  };

  if (arrived && !model) {
    return (
      <div className="notice model-offer" role="status" data-testid="model-offer-arrived">
        <div className="notice-body">
          <p>{arrived} is in place: your photos are being analysed with it (see Jobs).</p>
        </div>
      </div>
    );
  }
  if (dismissed || !model) return null;
  const failed = started && model.install?.state === 'failed';
  const stopped = started && isStopped(model.install);
  return (
    <div className="notice model-offer" role="region" aria-label="Smart search" data-testid="model-offer">
      <div className="notice-body">
        <OfferMessage model={model} started={started} act={act} start={start} />
        {error ? (
          <p role="alert" className="inline-error">
            {error}
          </p>
        ) : null}
      </div>
      {started && !stopped && !failed ? null : (
        <div className="model-offer-actions">
          {failed ? null : (
            <button type="button" className="button button-primary" data-testid="model-offer-install" onClick={start}>
              {stopped ? installLabel(model.install) : 'Download'}
            </button>
          )}
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

/** What the offer says: the offer itself, the download under way, stopped, or failed with the ways on. */
function OfferMessage({ model, started, act, start }: { model: ModelInfo; started: boolean; act: (work: () => Promise<unknown>) => void; start: () => void }) {
  if (started && model.install?.state === 'failed') {
    const retry = (
      <button type="button" className="button button-primary" data-testid="model-offer-install" onClick={start}>
        {installLabel(model.install)}
      </button>
    );
    return <InstallFailure model={model} onAct={act} retry={retry} />;
  }
  if (started && model.install?.state === 'cancelled') {
    return (
      <p>
        The download of {model.name} was stopped. <Link to="/settings/models">Settings → Models</Link>
      </p>
    );
  }
  if (started && model.install?.state === 'interrupted') {
    return (
      <p data-testid="model-offer-interrupted">
        The download of {model.name} did not finish before the server last stopped. What arrived is kept. <Link to="/settings/models">Settings → Models</Link>
      </p>
    );
  }
  if (started) {
    return (
      <p data-testid="model-offer-downloading">
        Downloading {model.name}… <Link to="/settings/models">See its progress</Link>. Your photos are analysed with it as soon as it is in place.
      </p>
    );
  }
  return (
    <p>
      <strong>Smart search is off.</strong> Search by meaning (“dog on a beach”), tags and descriptions need the {model.name} model: about{' '}
      {formatBytes(model.sizeBytes)}, downloaded from Hugging Face once. <Link to="/settings/models">All models</Link>
    </p>
  );
}
