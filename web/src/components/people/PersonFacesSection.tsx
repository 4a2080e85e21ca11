// The faces section of a person's page: every face grouped with them, each with "Not this person" and "Use as
// cover", then "Show more faces".
import { photoUrls } from '../../api.js';
import type { Face } from '../../client/people.js';
import { Link } from '../../lib/router.js';
import { FaceAvatar } from './FaceAvatar.js';
import type { PersonFaces } from './usePersonFaces.js';

interface Props {
  faces: PersonFaces;
  /** The face shown as the person's cover. */
  coverFaceId: string | null | undefined;
  /** The face an action is running on (all face buttons wait meanwhile). */
  busyFace: string | null;
  onReject: (face: Face) => void;
  onMakeCover: (face: Face) => void;
}

export function PersonFacesSection({ faces: { faces, error, more, loading, load }, coverFaceId, busyFace, onReject, onMakeCover }: Props) {
  return (
    <section className="person-section" aria-labelledby="faces-title">
      <div className="person-section-head">
        <h2 id="faces-title">Faces</h2>
        <p className="muted">Not them? Choose “Not this person” and the face will not be grouped with them again.</p>
      </div>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}{' '}
          <button type="button" className="button" onClick={() => void load(0)}>
            Try again
          </button>
        </p>
      ) : faces === null ? (
        <p className="muted">
          <span className="spinner spinner-inline" aria-hidden="true" /> Loading faces…
        </p>
      ) : faces.length === 0 ? (
        <p className="muted" data-testid="no-faces">
          No faces left. Photos where this person appears can be named from the photo page.
        </p>
      ) : (
        <>
          <ul className="face-grid" data-testid="face-grid">
            {faces.map((face) => {
              const isCover = coverFaceId === face.id;
              return (
                <li
                  key={face.id}
                  className={`face-cell ${busyFace === face.id ? 'face-cell-busy' : ''} ${isCover ? 'face-cell-cover' : ''}`}
                  data-testid="face-cell"
                  data-face-id={face.id}
                >
                  <Link to={photoUrls.page(face.photoId)} className="face-cell-link" aria-label={`Open the photo of this face`}>
                    <FaceAvatar faceId={face.id} />
                  </Link>
                  {isCover ? <span className="face-cell-note">Cover</span> : null}
                  <div className="face-cell-actions">
                    <button type="button" className="button" disabled={busyFace !== null} onClick={() => onReject(face)} data-testid="reject-face">
                      Not this person
                    </button>
                    {!isCover ? (
                      <button type="button" className="button button-ghost" disabled={busyFace !== null} onClick={() => onMakeCover(face)}>
                        Use as cover
                      </button>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
          {more ? (
            <div className="face-more">
              <button type="button" className="button" disabled={loading} onClick={() => void load(faces.length)}>
                {loading ? 'Loading…' : 'Show more faces'}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
