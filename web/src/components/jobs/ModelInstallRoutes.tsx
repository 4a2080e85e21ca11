// A model installed without the hub: a zip of its folder, made on a machine that can download it, sent from this
// browser; and the failure of a download told where it was started, with that route and the CLI's.
import { useRef, useState, type ReactNode } from 'react';
import { sendModelArchive } from '../../client/upload.js';
import type { ModelInfo } from '../../client/models.js';
import { formatBytes } from '../../lib/format.js';

/**
 * For a machine that cannot reach the hub: a zip of the model's folder, made where it can be downloaded, sent
 * from this browser with its progress; the server checks and installs it.
 */
export function ArchiveInstall({ name, onAct }: { name: string; onAct: (work: () => Promise<unknown>) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [sending, setSending] = useState<{ loaded: number; total: number; abort: AbortController } | null>(null);
  const send = (file: File) => {
    const abort = new AbortController();
    setSending({ loaded: 0, total: file.size, abort });
    onAct(() =>
      sendModelArchive(name, file, (loaded, total) => setSending({ loaded, total, abort }), abort.signal)
        .catch((error: unknown) => {
          if (!(error instanceof DOMException && error.name === 'AbortError')) throw error; // cancelled: nothing to say
        })
        .finally(() => setSending(null)),
    );
  };
  if (sending) {
    const sent = sending.loaded >= sending.total;
    return (
      <div className="jobs-model-actions" data-testid="model-archive-sending">
        <progress max={sending.total} value={sending.loaded} aria-label="Upload progress" />
        <span className="muted">
          {sent ? 'Checking and installing the archive…' : `Sending the archive: ${formatBytes(sending.loaded)} of ${formatBytes(sending.total)}`}
        </span>
        {sent ? null : (
          <button type="button" className="button button-small" onClick={() => sending.abort.abort()}>
            Cancel
          </button>
        )}
      </div>
    );
  }
  return (
    <>
      <button type="button" className="button button-small" onClick={() => input.current?.click()} data-testid="model-archive">
        Install from a zip…
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        hidden
        aria-label={`Zip archive of ${name}'s folder`}
        data-testid="model-archive-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) send(file);
        }}
      />
    </>
  );
}

/**
 * Why a download failed, and the ways on: the hub again (`retry`, the caller's button), a zip of the model's folder from
 * another machine, or the CLI on the server. Shown wherever the download was started (set-up's offer, the gallery,
 * Settings → Models).
 */
export function InstallFailure({ model, retry, onAct }: { model: ModelInfo; retry: ReactNode; onAct: (work: () => Promise<unknown>) => void }) {
  const source = model.repo ? (
    <>
      (
      <code>
        huggingface-cli download {model.repo} --local-dir {model.name}
      </code>
      )
    </>
  ) : null;
  return (
    <div className="model-install-failure" data-testid="model-install-failure">
      <p role="alert" className="inline-error" data-testid="model-install-error">
        The download of {model.name} failed: {model.install?.error ?? 'no reason was given'}
      </p>
      <p className="muted" data-testid="model-offline-route">
        Without the hub from here: on a machine that reaches it, download the model&apos;s folder {source} and zip it for <strong>Install from a zip…</strong>,
        or copy the folder to the server and run{' '}
        <code>
          shoebox models pull {model.name} --from ./{model.name}
        </code>
        .
      </p>
      <div className="jobs-model-actions">
        {retry}
        <ArchiveInstall name={model.name} onAct={onAct} />
      </div>
    </div>
  );
}
