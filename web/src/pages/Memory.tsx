import { useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { getMemory, hideMemory, memoryAsAlbum, type MemoryDetail } from '../client/memories.js';
import { PhotoGrid } from '../components/PhotoGrid.js';
import { ShareDialog } from '../components/sharing/ShareDialog.js';
import { navigate } from '../lib/router.js';
import '../styles/memories.css';

/** One memory: its items in the order they were taken; keep it as an album (to share it), or hide it for good. */
export function MemoryPage({ id }: { id: string }) {
  const [memory, setMemory] = useState<MemoryDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sharing, setSharing] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    getMemory(id, controller.signal)
      .then((found) => {
        setMemory(found);
        document.title = `${found.title} · Shoebox`;
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason instanceof ApiError ? reason.message : 'This memory could not be loaded.');
      });
    return () => controller.abort();
  }, [id]);

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (reason) {
      setError(reason instanceof ApiError ? reason.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="memory-page">
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {memory ? (
        <>
          <header className="memory-head">
            <div>
              <h1>{memory.title}</h1>
              <p className="muted">{memory.subtitle}</p>
            </div>
            <div className="memory-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() => void act(async () => navigate(`/albums/${(await memoryAsAlbum(memory.id)).id}`))}
              >
                Save as album
              </button>
              <button type="button" className="button" disabled={busy} onClick={() => setSharing(true)} data-testid="memory-share">
                Share by link
              </button>
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() =>
                  void act(async () => {
                    await hideMemory(memory.id);
                    navigate('/memories', { replace: true });
                  })
                }
              >
                Hide this memory
              </button>
            </div>
          </header>
          <PhotoGrid photos={memory.items} label={memory.title} testId="memory-items" />
          {sharing ? (
            <ShareDialog open photoIds={memory.items.map((item) => item.id)} title={`Share “${memory.title}” by link`} onClose={() => setSharing(false)} />
          ) : null}
        </>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </main>
  );
}
