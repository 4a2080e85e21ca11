import { useEffect, useState } from 'react';
import type { ListedPhoto, PhotoFull } from '../../client/photo.js';
import { getStack, moveOutOfStack, setStackCover, unstack, type Stack, type StackMember } from '../../client/stacks.js';
import { stepThroughList } from '../../store/resultSequence.js';
import { PhotoGrid } from '../PhotoGrid.js';
import { useAction } from '../../hooks/useAction.js';
import { errorText, isAbort } from '../../lib/errors.js';
import { photosAndVideos, stackedItems } from '../../lib/format.js';

type Load = { status: 'loading' } | { status: 'ready'; stack: Stack } | { status: 'error'; error: string };

const REASONS: Record<StackMember['reason'], string> = {
  'raw-jpeg': 'raw + JPEG',
  'heic-jpeg': 'HEIC + JPEG',
  edited: 'edited version',
  'burst-id': 'burst',
  'burst-name': 'burst',
  'burst-time': 'burst',
  'by-user': 'stacked by you',
};

function describe(stack: Stack): string {
  const n = stack.members.length;
  switch (stack.kind) {
    case 'raw-jpeg':
      return 'The raw file and the JPEG the camera wrote of this shot.';
    case 'heic-jpeg':
      return 'The HEIC and the JPEG of this shot.';
    case 'edits':
      return `The original and ${n - 1} edited version${n === 2 ? '' : 's'}.`;
    case 'burst':
      return `${n} frames of one burst.`;
    case 'by-user':
      return `${stackedItems(stack.members)} you stacked.`;
    default:
      return `${stackedItems(stack.members)} of one moment.`;
  }
}

/**
 * The stack the photo is in: the other photos one tap away, what put each there, and the user's three decisions —
 * this photo as the cover (the tile the library shows), this photo out of the stack, or the stack taken apart.
 */
export function StackSection({ photo, onChanged }: { photo: PhotoFull; onChanged: (message: string) => void }) {
  const ref = photo.stack;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const { busy, error, run } = useAction();
  const stackId = ref?.id;
  const count = ref?.count;
  const coverId = ref?.coverId;
  useEffect(() => {
    if (!stackId) return;
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    getStack(stackId, controller.signal)
      .then((stack) => setLoad({ status: 'ready', stack }))
      .catch((failure: unknown) => {
        if (!isAbort(failure)) setLoad({ status: 'error', error: errorText(failure) });
      });
    return () => controller.abort();
  }, [stackId, count, coverId]);
  if (!ref) return null;

  const act = (work: () => Promise<unknown>, message: string) => run(async () => (await work(), onChanged(message)));
  const stack = load.status === 'ready' ? load.stack : null;
  const others = stack ? stack.members.filter((m) => m.photo.id !== photo.id) : [];
  const byId = new Map(others.map((m) => [m.photo.id, m]));
  const isCover = ref.coverId === photo.id;
  return (
    <section className="info-section" aria-labelledby="stack-title" data-testid="stack">
      <h2 id="stack-title">Stack</h2>
      <p>
        {stack ? describe(stack) : `One of ${photosAndVideos(ref.count, ref.videos)} shown as one.`}{' '}
        {isCover ? <span className="badge badge-completed">{stack?.coverByUser ? 'cover' : 'cover · best shot'}</span> : null}
      </p>
      {others.length > 0 ? (
        <PhotoGrid<ListedPhoto>
          photos={others.map((m) => m.photo)}
          label="Other photos of the stack"
          compact
          onOpen={() => stepThroughList(others.map((m) => m.photo))}
          overlay={(listed) => {
            const member = byId.get(listed.id);
            return member ? (
              <span className="tile-note">
                {member.cover ? 'cover · ' : ''}
                {REASONS[member.reason]}
              </span>
            ) : null;
          }}
          testId="stack-members"
        />
      ) : null}
      {load.status === 'loading' ? <p className="muted">Loading the stack…</p> : null}
      {load.status === 'error' ? <p className="muted">The stack could not be loaded: {load.error}</p> : null}
      <div className="stack-actions">
        {!isCover ? (
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="stack-cover"
            onClick={() => act(() => setStackCover(ref.id, photo.id), 'This photo is now the cover of its stack.')}
          >
            Make this the cover
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          disabled={busy}
          data-testid="stack-move-out"
          onClick={() => act(() => moveOutOfStack(ref.id, photo.id), 'Moved out of the stack.')}
        >
          Move out of the stack
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          data-testid="stack-unstack"
          onClick={() => act(() => unstack(ref.id), `Unstacked: the ${photosAndVideos(ref.count, ref.videos)} are on their own again.`)}
        >
          Unstack all
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
