// One photo's rows, as users' data looks, written into binary COPY streams (bench/search/copy.ts). The universe
// (clusters of CLIP-like 512-d embeddings, Zipf words and tags, places, cameras) is bench/search's; what differs
// here is the shape issue 62 asks for: several owners, 20 years, videos, per-owner people (~5,000 for the
// largest at 1M), albums (one of 50k at 1M) and near-copies grouped for the duplicates review.
import { createHash } from 'node:crypto';
import { CopyWriter } from '../search/copy.js';
import { around, EMBEDDING_MODEL, FACE_DIM, normalize, Rng, uuidFor, Zipf, type Universe } from '../search/generate.js';
import { CAMERAS, FIRST_NAMES, LAST_NAMES, PLACES } from '../search/words.js';
import { DUPLICATE_SHARE, FACE_SHARE, FIRST_YEAR, NAMED_FACE_SHARE, PLACE_SHARE, VIDEO_SHARE, yearCdf, type OwnerShape } from './shape.js';

export const TABLES = {
  photos: `id, owner_id, sha256, filename, storage_key, mime, size_bytes, state, width, height, taken_at, taken_at_text,
    latitude, longitude, orientation, make, model, lens, rating, keywords, place_city, place_state, place_country,
    place_country_code, place_source, favorite, duration_ms, thumbnail_at, created_at, updated_at`,
  photo_embeddings: 'photo_id, model, embedding',
  photo_tags: 'photo_id, tag, confidence, source',
  photo_captions: 'photo_id, caption, source, model',
  photo_ocr: 'photo_id, text, confidence, languages',
  faces: 'id, photo_id, person_id, assigned_by, x, y, width, height, score, embedding, detector',
  album_photos: 'album_id, photo_id, added_at',
  duplicate_groups: 'id, owner_id, kind, keeper_id, created_at, updated_at',
  duplicate_members: 'group_id, photo_id, kind, tier, matched_photo_id, pdq_distance, similarity, redundant',
} as const;
export type Table = keyof typeof TABLES;

export type Writers = Record<Table, CopyWriter>;

export function newWriters(): Writers {
  return Object.fromEntries(Object.keys(TABLES).map((t) => [t, new CopyWriter(1 << 22)])) as Writers;
}

export const personId = (owner: number, k: number) => uuidFor(`person-${owner}`, k);
export const albumId = (owner: number, k: number) => uuidFor(`album-${owner}`, k);
/** The big album is album 0 of each owner; 1… are the small ones. */
export const BIG_ALBUM = 0;

/** A person's name for the first 30 % of an owner's people (the rest are faces grouped but never named). */
export function personName(k: number, people: number): string | null {
  if (k >= Math.ceil(people * 0.3)) return null;
  const first = FIRST_NAMES[k % FIRST_NAMES.length]!;
  const last = LAST_NAMES[Math.floor(k / FIRST_NAMES.length) % LAST_NAMES.length]!;
  const round = Math.floor(k / (FIRST_NAMES.length * LAST_NAMES.length));
  return round === 0 ? `${first} ${last}` : `${first} ${last} ${round + 1}`;
}

interface Previous {
  id: string;
  takenAt: number;
  embedding: Float32Array;
  cluster: number;
  groupId: string | null;
}

/** Per-owner state the generator carries from photo to photo. */
export interface OwnerState {
  shape: OwnerShape;
  ownerId: string;
  personZipf: Zipf;
  /** A face centre per person, made on first use from the person's own seed. */
  centres: Map<number, Float32Array>;
  /** The owner's photo before this one in the chunk (each chunk starts afresh, so a load resumes at any chunk). */
  previous: Previous | null;
}

export function ownerState(shape: OwnerShape, ownerId: string): OwnerState {
  return { shape, ownerId, personZipf: new Zipf(shape.people, 1), centres: new Map(), previous: null };
}

function faceCentre(state: OwnerState, k: number): Float32Array {
  let centre = state.centres.get(k);
  if (!centre) {
    const rng = new Rng(0x5eed + state.shape.index * 100_003 + k);
    centre = normalize(Float32Array.from({ length: FACE_DIM }, () => rng.normal()));
    state.centres.set(k, centre);
  }
  return centre;
}

const YEAR_CDF = yearCdf();
const CONNECTORS = ['with', 'and', 'in', 'on', 'near', 'at', 'by', 'under'];
const OPENERS = ['A', 'The', 'Two', 'Some', 'A close view of a', 'A photo of the'];

/** Appends photo `index` (library-wide) of the owner in `state` to the writers. */
export function addPhoto(u: Universe, rng: Rng, index: number, state: OwnerState, w: Writers): void {
  const { shape, ownerId } = state;
  const id = uuidFor('photo', index);
  const previous = state.previous;
  // a near-copy of the owner's photo before it: same moment, nearly the same picture
  const copy = previous !== null && rng.chance(DUPLICATE_SHARE);
  const clusterIndex = copy ? previous.cluster : u.clusterZipf.sample(rng);
  const cluster = u.clusters[clusterIndex]!;
  const takenAt = copy ? previous.takenAt + 1_000 + rng.int(60_000) : randomTime(rng);
  const taken = new Date(takenAt);
  const video = !copy && rng.chance(VIDEO_SHARE);
  const [make, model, lens] = CAMERAS[u.cameraZipf.sample(rng)]!;
  const apple = make === 'Apple';
  // each owner has other home towns: the places' Zipf ranks turned by the owner's index
  const place = rng.chance(PLACE_SHARE) ? PLACES[(u.placeZipf.sample(rng) + shape.index * 7) % PLACES.length]! : null;
  const sha = createHash('sha256').update(`shoebox-million-${index}`).digest('hex');
  const ext = video ? (apple ? 'mov' : 'mp4') : 'jpg';
  const mime = video ? (apple ? 'video/quicktime' : 'video/mp4') : 'image/jpeg';
  const [width, height] = video ? [1920, 1080] : rng.chance(0.3) ? [3024, 4032] : [4032, 3024];
  w.photos
    .row(30)
    .uuid(id)
    .uuid(ownerId)
    .text(sha)
    .text(`${video ? 'VID' : 'IMG'}_${String(index % 10_000).padStart(4, '0')}.${ext.toUpperCase()}`)
    .text(`originals/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.${ext}`)
    .text(mime)
    .int8(video ? 5_000_000 + rng.int(200_000_000) : 1_500_000 + rng.int(5_000_000))
    .text('completed')
    .int4(width)
    .int4(height)
    .timestamptz(takenAt)
    .text(`${taken.toISOString().slice(0, 19)}${place?.[6] ?? '+01:00'}`)
    .float8(place ? place[4] + rng.range(-0.05, 0.05) : null)
    .float8(place ? place[5] + rng.range(-0.05, 0.05) : null)
    .int4(1)
    .text(make)
    .text(model)
    .text(lens)
    .int4(rng.chance(0.2) ? rng.int(6) : null)
    .textArray(rng.chance(0.08) ? [u.tags[u.tagZipf.sample(rng)]!] : [])
    .text(place?.[0] ?? null)
    .text(place?.[1] ?? null)
    .text(place?.[2] ?? null)
    .text(place?.[3] ?? null)
    .text(place ? 'geocoded' : null)
    .bool(rng.chance(0.04))
    .int4(video ? Math.round(Math.exp(rng.range(Math.log(3_000), Math.log(300_000)))) : null)
    .timestamptz(takenAt + 86_400_000)
    .timestamptz(takenAt + 86_400_000)
    .timestamptz(takenAt + 86_400_000);

  const embedding = copy ? around(rng, previous.embedding, 0.05) : around(rng, cluster.centre, cluster.noise);
  w.photo_embeddings.row(3).uuid(id).text(EMBEDDING_MODEL).vector(embedding);
  addWords(u, rng, id, clusterIndex, w);
  addFaces(rng, index, width, height, state, w);
  addToAlbums(rng, id, takenAt, state, w);
  const groupId = copy ? addCopy(rng, index, takenAt, previous, ownerId, w) : null;
  state.previous = { id, takenAt, embedding, cluster: clusterIndex, groupId };
}

/** A moment in the 20 years, more of them in recent years, in the daytime. */
function randomTime(rng: Rng): number {
  const u = rng.float();
  const year =
    FIRST_YEAR +
    Math.max(
      0,
      YEAR_CDF.findIndex((c) => u < c),
    );
  return Date.UTC(year, 0, 1) + rng.int(365) * 86_400_000 + (7 + rng.int(15)) * 3_600_000 + rng.int(3_600_000);
}

/** Tags (1–3 of the cluster's theme, the rest Zipf), a caption on 95 %, read text on 10 %. */
function addWords(u: Universe, rng: Rng, id: string, clusterIndex: number, w: Writers): void {
  const cluster = u.clusters[clusterIndex]!;
  const tags = new Map<string, number>();
  const themed = 1 + rng.int(3);
  for (let t = 0; t < themed; t += 1) tags.set(u.tags[rng.pick(cluster.themeTags)]!, rng.range(0.5, 0.95));
  const count = 3 + rng.int(8);
  while (tags.size < count) {
    const tag = u.tags[u.tagZipf.sample(rng)]!;
    if (!tags.has(tag)) tags.set(tag, rng.range(0.2, 0.6));
  }
  for (const [tag, confidence] of tags) w.photo_tags.row(4).uuid(id).text(tag).float4(confidence).text('clip');
  const word = () => u.words[u.wordZipf.sample(rng)]!;
  if (rng.chance(0.95)) {
    const content = [u.words[rng.pick(cluster.themeWords)]!, ...Array.from({ length: 1 + rng.int(4) }, word)];
    const caption = content.map((x, k) => (k === 0 ? x : `${rng.pick(CONNECTORS)} ${x}`)).join(' ');
    w.photo_captions
      .row(4)
      .uuid(id)
      .text(`${rng.pick(OPENERS)} ${caption}.`)
      .text('fallback')
      .text('bench');
  }
  if (rng.chance(0.1)) {
    const text = Array.from({ length: 5 + rng.int(30) }, word).join(' ');
    w.photo_ocr.row(4).uuid(id).text(text).float4(rng.range(60, 95)).textArray(['eng']);
  }
}

/** Faces on 30 % of photos (1–6), 80 % of them one of the owner's people (Zipf), 1024-d around the person's centre. */
function addFaces(rng: Rng, index: number, width: number, height: number, state: OwnerState, w: Writers): void {
  if (!rng.chance(FACE_SHARE)) return;
  const roll = rng.float();
  const count = roll < 0.6 ? 1 : roll < 0.85 ? 2 : roll < 0.95 ? 3 : 4 + rng.int(3);
  for (let f = 0; f < count; f += 1) {
    const k = rng.chance(NAMED_FACE_SHARE) ? state.personZipf.sample(rng) : null;
    const embedding = k === null ? normalize(Float32Array.from({ length: FACE_DIM }, () => rng.normal())) : around(rng, faceCentre(state, k), 0.7);
    const size = rng.range(120, 900);
    w.faces
      .row(11)
      .uuid(uuidFor(`face-${index}`, f))
      .uuid(uuidFor('photo', index))
      .uuid(k === null ? null : personId(state.shape.index, k))
      .text(k === null ? null : 'auto')
      .float4(rng.range(0, width - size))
      .float4(rng.range(0, height - size))
      .float4(size)
      .float4(size * 1.2)
      .float4(rng.range(0.6, 0.99))
      .vector(embedding)
      .text('ssd-mobilenet-v1+faceres');
  }
}

/** The big album takes 1 photo in 12 of the owner's; each small album ~1 in 1,000. */
function addToAlbums(rng: Rng, id: string, takenAt: number, state: OwnerState, w: Writers): void {
  const { shape } = state;
  const added = takenAt + 30 * 86_400_000;
  if (rng.float() < shape.bigAlbum / shape.photos) {
    w.album_photos.row(3).uuid(albumId(shape.index, BIG_ALBUM)).uuid(id).timestamptz(added);
  }
  if (rng.chance(shape.smallAlbums / 1_000)) {
    w.album_photos
      .row(3)
      .uuid(albumId(shape.index, 1 + rng.int(shape.smallAlbums)))
      .uuid(id)
      .timestamptz(added);
  }
}

/** Puts the copy in its original's duplicate group, making the group when the original has none. */
function addCopy(rng: Rng, index: number, takenAt: number, previous: Previous, ownerId: string, w: Writers): string {
  const id = uuidFor('photo', index);
  let groupId = previous.groupId;
  if (!groupId) {
    groupId = uuidFor('group', index);
    const at = takenAt + 86_400_000;
    w.duplicate_groups.row(6).uuid(groupId).uuid(ownerId).text('duplicate').uuid(previous.id).timestamptz(at).timestamptz(at);
    w.duplicate_members.row(8).uuid(groupId).uuid(previous.id).text('duplicate').text('first').null().null().null().bool(false);
  }
  w.duplicate_members.row(8).uuid(groupId).uuid(id).text('duplicate').text('pdq').uuid(previous.id).int4(rng.int(20)).float4(rng.range(0.95, 0.999)).bool(true);
  return groupId;
}
