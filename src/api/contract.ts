// The API's shapes as the web app sees them: the one module under src/ it imports types from (test/unit/dependencies.test.ts).
// Each type is what a route's zod response schema gives out (z.output: dates as ISO strings, as the JSON carries them), so
// a response shape is written once, in its schema. Imports are type-only: nothing of the server ends up in the bundle.
import type { z } from 'zod';
import type { locationInfo } from './admin.js';
import type { albumDetail, albumSummary } from './albums.js';
import type { apiKeyInfo, me, sessionInfo, userInfo, userWithUsage } from './auth-schemas.js';
import type { autoAlbumResult, regenerateResult } from './auto-albums.js';
import type { jobInfo } from './create.js';
import type { duplicateGroup, groupMember } from './duplicates.js';
import type { jobsSnapshotSchema } from './jobs.js';
import type { libraryFileInfo, libraryInfo, rootInfo } from './libraries.js';
import type { configView } from './oidc.js';
import type { productInfo, productTypeInfo } from './products.js';
import type { photoDetail, photoList, photoListItem, photoMetadata, retryResult, statesResult, uploadItem, uploadResult } from './schemas.js';
import type { albumShare, linkSummary, partnerships, userCard } from './sharing.js';

// The shared vocabulary, as values: plain constants in a module that imports nothing, so Vite bundles them as they are.
export { PHOTO_STATES, STEP_NAMES, STEP_STATUSES, TERMINAL_STATES } from '../model/photo-state.js';
export type { PhotoState, StepName, StepStatus } from '../model/photo-state.js';

type Out<T extends z.ZodType> = z.output<T>;

// -- photos -----------------------------------------------------------------------------------------------------
/** A photo as lists give it (GET /api/photos, an album's page, a duplicate group's member). */
export type PhotoSummary = Out<typeof photoListItem>;
export type PhotoPage = Out<typeof photoList>;
/** One photo with its analysis (GET /api/photos/{id}). */
export type PhotoDetail = Out<typeof photoDetail>;
/** The metadata read from a file (GET /api/photos/{id} `metadata`; the same shape `shoebox inspect` prints). */
export type PhotoMetadata = Out<typeof photoMetadata>;
/** How a generated image was made (GET /api/photos/{id} `provenance`, when not null). */
export type Provenance = NonNullable<PhotoDetail['provenance']>;
export type StepInfo = PhotoDetail['steps'][string];
export type FaceInfo = PhotoDetail['faces'][number];
export type Box = FaceInfo['box'];
export type CaptionInfo = NonNullable<PhotoDetail['caption']>;
export type PaletteColour = NonNullable<PhotoDetail['palette']>[number];
/** A state per photo id (POST /api/photos/states). */
export type PhotoStates = Out<typeof statesResult>;
/** What POST /api/photos/{id}/retry reset. */
export type RetryResult = Out<typeof retryResult>;
/** Each file's outcome of an upload (POST /api/upload). */
export type UploadItem = Out<typeof uploadItem>;
export type UploadResult = Out<typeof uploadResult>;

// -- accounts (/api/auth, /api/api-keys, /api/admin) -------------------------------------------------------------
export type UserInfo = Out<typeof userInfo>;
export type UserWithUsage = Out<typeof userWithUsage>;
export type Me = Out<typeof me>;
export type SessionInfo = Out<typeof sessionInfo>;
export type ApiKeyInfo = Out<typeof apiKeyInfo>;
/** A storage location and what it holds (GET /api/admin/storage). */
export type LocationUse = Out<typeof locationInfo>;
/** The single sign-on settings (GET /api/admin/oidc). */
export type OidcConfigView = Out<typeof configView>;

// -- albums -----------------------------------------------------------------------------------------------------
export type AlbumSummary = Out<typeof albumSummary>;
export type AlbumDetail = Out<typeof albumDetail>;
export type AlbumKind = AlbumSummary['kind'];
export type AlbumStatus = AlbumSummary['status'];
/** An automatic album as a regeneration left it. */
export type AutoAlbumResult = Out<typeof autoAlbumResult>;
/** What a regeneration did (POST /api/albums/auto/regenerate). */
export type RegenerateResult = Out<typeof regenerateResult>;
/** The clustering parameters a regeneration ran with. */
export type RegenerateParams = RegenerateResult['params'];

// -- duplicates -------------------------------------------------------------------------------------------------
export type DuplicateGroup = Out<typeof duplicateGroup>;
export type GroupMember = Out<typeof groupMember>;
export type GroupKind = DuplicateGroup['kind'];

// -- sharing ----------------------------------------------------------------------------------------------------
export type UserCard = Out<typeof userCard>;
export type AlbumShare = Out<typeof albumShare>;
export type ShareRole = AlbumShare['role'];
export type LinkSummary = Out<typeof linkSummary>;
export type Partnerships = Out<typeof partnerships>;

// -- libraries in place -----------------------------------------------------------------------------------------
export type LibraryInfo = Out<typeof libraryInfo>;
export type LibraryFileInfo = Out<typeof libraryFileInfo>;
export type AllowedRoot = Out<typeof rootInfo>;
export type WatchMode = LibraryInfo['watch'];

// -- create -----------------------------------------------------------------------------------------------------
export type GenerationJobInfo = Out<typeof jobInfo>;
export type ProductInfo = Out<typeof productInfo>;
export type ProductTypeInfo = Out<typeof productTypeInfo>;
/** white, hand, dimensions, lifestyle, model: the shots a product type has a prompt for. */
export type ShotType = keyof ProductTypeInfo['templates'];

// -- the pipeline's progress (GET /api/jobs, and each event of /api/jobs/events) ---------------------------------
export type JobsSnapshot = Out<typeof jobsSnapshotSchema>;
export type JobFailure = JobsSnapshot['failures'][number];
export type StepProgress = JobsSnapshot['steps'][string];
