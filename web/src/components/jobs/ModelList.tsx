import { useEffect, useState } from 'react';
import { ApiError } from '../../api.js';
import {
  cancelInstall,
  hasPartial,
  installLabel,
  installModel,
  listModels,
  removeModel,
  switchClipModel,
  type InstallStatus,
  type ModelInfo,
  type ModelList as Models,
} from '../../client/models.js';
import { formatBytes } from '../../lib/format.js';
import { ArchiveInstall, InstallFailure } from './ModelInstallRoutes.js';
import { featureLabel } from './steps.js';

/** How often the list is asked again while a download runs. */
const PROGRESS_MS = 1000;

const KIND_LABELS: Record<string, string> = { clip: 'CLIP (images and text)', faces: 'Faces', ocr: 'Text recognition' };

/**
 * The AI models Shoebox knows: installed or not, in use or not, and what each one makes possible. `manage` (an
 * admin's Settings → Models): install from the hub with progress, cancel, remove.
 */
export function ModelList({ manage = false }: { manage?: boolean }) {
  const [models, setModels] = useState<Models | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  /** The last ask that was answered, or failed: the next progress ask follows it (a failed one too). */
  const [settled, setSettled] = useState(-1);
  const downloading = models?.items.some((model) => model.install?.state === 'downloading') ?? false;

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    listModels(abort.signal).then(
      (answer) => {
        setModels(answer);
        setSettled(attempt);
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
        setSettled(attempt);
      },
    );
    return () => abort.abort();
  }, [attempt]);
  // while a download runs, its progress every second; a server that cannot be reached for a moment (restarting) is
  // asked again, so that the list follows it to what is left of the download
  useEffect(() => {
    if (!downloading || settled < 0) return;
    const timer = window.setTimeout(() => setAttempt((n) => n + 1), PROGRESS_MS);
    return () => window.clearTimeout(timer);
  }, [downloading, settled]);

  const act = (work: () => Promise<unknown>) => {
    setActionError(null);
    work().then(
      () => setAttempt((n) => n + 1),
      (e: unknown) => {
        setActionError(e instanceof ApiError ? e.message : String(e));
        setAttempt((n) => n + 1);
      },
    );
  };

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
      {actionError ? (
        <p role="alert" className="inline-error">
          {actionError}
        </p>
      ) : null}
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
                  {model.turnedOff ? (
                    <span className="badge" data-testid="model-turned-off" title={model.turnedOff}>
                      turned off
                    </span>
                  ) : null}
                  {model.offered ? (
                    <span className="badge badge-recommended" data-testid="model-recommended" title="The best search by meaning for its speed: see the README">
                      recommended
                    </span>
                  ) : null}
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
                {manage && !model.bundled ? (
                  <ModelControls model={model} pinned={models.clip.pinned} onAct={act} />
                ) : !model.installed && !model.bundled ? (
                  <p className="jobs-model-install">
                    Install with <code>shoebox models pull {model.name}</code>
                    {model.offered ? ' (recommended)' : null}
                  </p>
                ) : null}
                {model.turnedOff ? <p className="muted jobs-model-notes">{model.turnedOff.charAt(0).toUpperCase() + model.turnedOff.slice(1)}.</p> : null}
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

/** Install (with the download's progress), cancel, remove: one model's buttons on Settings → Models. */
function ModelControls({ model, pinned, onAct }: { model: ModelInfo; pinned: boolean; onAct: (work: () => Promise<unknown>) => void }) {
  const install = model.install;
  if (install?.state === 'downloading') return <DownloadProgress install={install} onCancel={() => onAct(() => cancelInstall(model.name))} />;
  const installButton = (
    <button type="button" className="button button-primary button-small" onClick={() => onAct(() => installModel(model.name))} data-testid="model-install">
      {installLabel(install)} (about {formatBytes(model.sizeBytes)})
    </button>
  );
  return (
    <div className="jobs-model-actions">
      {model.installed && model.kind === 'clip' && !model.inUse && !pinned ? (
        <button
          type="button"
          className="button button-primary button-small"
          onClick={() => {
            if (
              window.confirm(
                `Use ${model.name} for search by meaning, tags and similar photos? Every photo is analysed again with it; meanwhile search by meaning finds the photos already done.`,
              )
            ) {
              onAct(() => switchClipModel(model.name));
            }
          }}
          data-testid="model-use"
        >
          Use for search
        </button>
      ) : null}
      {model.installed ? (
        model.inUse && model.kind === 'clip' ? (
          <span className="muted" data-testid="model-in-use-note">
            {pinned ? 'In use, set by SHOEBOX_CLIP_MODEL on the server.' : 'In use: to remove it, use another CLIP model first.'}
          </span>
        ) : (
          <button
            type="button"
            className="button button-small button-danger-outline"
            onClick={() => {
              if (window.confirm(`Remove ${model.name} (${formatBytes(model.sizeBytes)})? It can be downloaded again.`)) onAct(() => removeModel(model.name));
            }}
            data-testid="model-remove"
          >
            Remove
          </button>
        )
      ) : install?.state === 'failed' ? null : (
        <>
          {installButton}
          <ArchiveInstall name={model.name} onAct={onAct} />
        </>
      )}
      {install?.state === 'failed' ? <InstallFailure model={model} retry={installButton} onAct={onAct} /> : null}
      {install?.state === 'cancelled' ? (
        <p className="muted">
          {hasPartial(install) ? 'Download stopped; what arrived is kept for the next try.' : 'Download stopped before anything arrived.'}
        </p>
      ) : null}
      {install?.state === 'interrupted' ? (
        <p className="muted" data-testid="model-interrupted">
          Download not finished before the server last stopped; what arrived is kept for the next try.
        </p>
      ) : null}
      {install?.state === 'installed' ? (
        <p className="muted" data-testid="model-installed-note">
          Installed: photos analysed without it are being analysed again (see Jobs).
        </p>
      ) : null}
    </div>
  );
}

function DownloadProgress({ install, onCancel }: { install: InstallStatus; onCancel: () => void }) {
  const total = install.totalBytes ?? 0;
  const label = install.file
    ? `File ${install.fileIndex} of ${install.fileCount}: ${install.file} — ${formatBytes(install.receivedBytes)}${total ? ` of ${formatBytes(total)}` : ''}`
    : 'Asking the hub for the files…';
  return (
    <div className="jobs-model-actions" data-testid="model-downloading">
      <progress max={total || undefined} value={total ? install.receivedBytes : undefined} aria-label="Download progress" />
      <span className="muted">{label}</span>
      <button type="button" className="button button-small" onClick={onCancel} data-testid="model-cancel">
        Cancel
      </button>
    </div>
  );
}
