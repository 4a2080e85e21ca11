import { photoUrls, type FaceInfo } from '../api.js';
import { photoLinks } from '../client/photo.js';
import { Link } from '../lib/router.js';
import { faceLabel } from './FaceOverlay.js';

interface Props {
  faces: readonly FaceInfo[];
  /** Name or change a face; without it (someone else's photo) the faces are only listed. */
  onEdit?: (face: FaceInfo) => void;
  /** Why there are no faces (the step's state), when there are none. */
  emptyNote: string;
  /** People the file names who are on none of the faces (XMP PersonInImage, a Google Takeout sidecar). */
  hints?: readonly string[];
}

/** The faces on the photo as a list beside it: who each is (a link to the person), and a button to name or change it. */
export function PhotoPeople({ faces, onEdit, emptyNote, hints = [] }: Props) {
  const unnamed = faces.filter((face) => !face.personName).length;
  return (
    <section className="info-section" aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      {faces.length > 0 ? (
        <>
          <ul className="face-list" data-testid="faces">
            {faces.map((face) => (
              <li key={face.id} className="face-item" data-face-id={face.id}>
                {onEdit ? <img src={photoUrls.face(face.id)} alt="" width={56} height={56} loading="lazy" /> : null}
                {face.personId && face.personName ? (
                  <Link to={photoLinks.person(face.personId)} className="face-name" data-testid="face-name">
                    {face.personName}
                  </Link>
                ) : (
                  <span className="face-name face-name-unknown" data-testid="face-name">
                    {faceLabel(face)}
                  </span>
                )}
                {onEdit ? (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => onEdit(face)}
                    aria-label={face.personName ? `Change who this is (${face.personName})` : 'Name this person'}
                    data-testid="face-edit"
                  >
                    {face.personName ? 'Change' : 'Name'}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {unnamed > 0 && onEdit ? <p className="sub">Click a face on the photo, or “Name”, to say who it is.</p> : null}
        </>
      ) : (
        <p className="muted">{emptyNote}</p>
      )}
      {hints.length > 0 ? (
        <p className="sub" data-testid="people-hints">
          Named in the file, not placed on a face: {/* each a search for the name */}
          {hints.map((name, i) => (
            <span key={name}>
              {i > 0 ? ', ' : ''}
              <Link to={photoLinks.search(name)}>{name}</Link>
            </span>
          ))}
          {unnamed > 0 && onEdit ? ' — offered first when you name a face.' : '.'}
        </p>
      ) : null}
    </section>
  );
}
