// The API's shapes as the web app sees them: the one module under src/ it imports types from (test/unit/dependencies.test.ts).
// Each type is what a route's zod response schema gives out (z.output: dates as ISO strings, as the JSON carries them;
// the same as what goes over the wire while no response schema transforms), so a response shape is written once, in its
// schema. Imports are type-only: nothing of the server ends up in the bundle.
import type { z } from 'zod';
import type { locationInfo } from './admin.js';
import type { albumDetail, albumList, albumSummary } from './albums.js';
import type { apiKeyInfo, authStatus, me, sessionInfo, userInfo, userWithUsage } from './auth-schemas.js';
import type { autoAlbumResult, regenerateResult } from './auto-albums.js';
import type { categoryList } from './categories.js';
import type { jobInfo, providersAnswer } from './create.js';
import type { duplicateGroup, duplicateGroupPage, groupMember } from './duplicates.js';
import type { stack, stackMember } from './stacks.js';
import type { importView } from './imports.js';
import type { backupUploadView } from './uploads.js';
import type { jobsSnapshotSchema } from './jobs.js';
import type { inPlaceFileInfo, inPlaceLibraryInfo, rootInfo } from './libraries.js';
import type { mapConfigView, mapPointsResult, mapSource, townsFound } from './map.js';
import type { memoryList, memorySettingsView } from './memories.js';
import type { modelList } from './models.js';
import type { configView } from './oidc.js';
import type { faceList, faceResult, peopleList, person, reclusterResult } from './people.js';
import type { productInfo, productTypeInfo } from './products.js';
import type { faceSummary, photoDetail, photoList, photoListItem, photoMetadata, photosPatchResult, retryResult, timelineResult } from './schemas.js';
import type { uploadItem, uploadResult } from './upload-schemas.js';
import type { statesResult } from './status-schemas.js';
import type { searchResult, similarResult, suggestResult } from './search-schemas.js';
import type { visitedLinkInfo, visitorPhoto, visitorPhotoPage } from './share-visit.js';
import type { albumShare, linkClipCheck, linkSummary, partnerships, userCard } from './sharing.js';
import type { trashList } from './trash.js';

// The shared vocabulary, as values: plain constants in a module that imports nothing, so Vite bundles them as they are.
export { PHOTO_STATES, STEP_NAMES, STEP_STATUSES, TERMINAL_STATES } from '../model/photo-state.js';
export type { PhotoState, StepName, StepStatus } from '../model/photo-state.js';
export { SEARCH_FIELDS, SEARCH_MODES, SUGGESTION_KINDS } from '../model/search-vocabulary.js';
export { DEFAULT_IN_PLACE_EXCLUDES } from '../model/in-place-excludes.js';
export type { SearchField, SearchMode, SuggestionKind } from '../model/search-vocabulary.js';

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
/** The active albums a photo is in, and the duplicate group (else burst) it is in. */
export type PhotoAlbumRef = PhotoDetail['albums'][number];
export type PhotoDuplicateGroupRef = NonNullable<PhotoDetail['duplicateGroup']>;
/** Where a photo was taken, in words. */
export type PlaceInfo = NonNullable<PhotoMetadata['place']>;
/** How many photos a bulk change (PATCH /api/photos) changed. */
export type PhotosChanged = Out<typeof photosPatchResult>;
/** How many photos each day or month holds (GET /api/timeline). */
export type Timeline = Out<typeof timelineResult>;
export type TimelineBucket = Timeline['buckets'][number];
export type TimelineGrouping = Timeline['groupBy'];
/** The trash (GET /api/trash). */
export type TrashPage = Out<typeof trashList>;
export type TrashedPhoto = TrashPage['items'][number];
/** A state per photo id (POST /api/photos/states). */
export type PhotoStates = Out<typeof statesResult>;
/** What POST /api/photos/{id}/retry reset. */
export type RetryResult = Out<typeof retryResult>;
/** Each file's outcome of an upload (POST /api/photos, POST /api/s/{token}/photos). */
export type UploadItem = Out<typeof uploadItem>;
export type UploadResult = Out<typeof uploadResult>;

// -- accounts (/api/auth, /api/api-keys, /api/admin) -------------------------------------------------------------
/** Whether the server needs its first admin, and whether this browser is signed in (GET /api/auth/status). */
export type AuthStatus = Out<typeof authStatus>;
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
export type AlbumList = Out<typeof albumList>;
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
export type DuplicateGroupPage = Out<typeof duplicateGroupPage>;
export type GroupMember = Out<typeof groupMember>;
export type GroupKind = DuplicateGroup['kind'];

// -- stacks -----------------------------------------------------------------------------------------------------
export type Stack = Out<typeof stack>;
export type StackMember = Out<typeof stackMember>;
/** The stack a photo is in, as the photo page gets it. */
export type PhotoStackRef = NonNullable<PhotoDetail['stack']>;

// -- sharing ----------------------------------------------------------------------------------------------------
export type UserCard = Out<typeof userCard>;
export type AlbumShare = Out<typeof albumShare>;
export type ShareRole = AlbumShare['role'];
export type LinkSummary = Out<typeof linkSummary>;
export type LinkClipCheck = Out<typeof linkClipCheck>;
export type Partnerships = Out<typeof partnerships>;
/** A link's visitor side (GET /api/s/{token}, GET /api/s/{token}/photos). */
export type VisitedLink = Out<typeof visitedLinkInfo>;
export type VisitorPhoto = Out<typeof visitorPhoto>;
export type VisitorPhotoPage = Out<typeof visitorPhotoPage>;

// -- libraries in place -----------------------------------------------------------------------------------------
export type InPlaceLibrary = Out<typeof inPlaceLibraryInfo>;
export type InPlaceFile = Out<typeof inPlaceFileInfo>;
export type AllowedRoot = Out<typeof rootInfo>;
export type WatchMode = InPlaceLibrary['watch'];

// -- create -----------------------------------------------------------------------------------------------------
export type GenerationJobInfo = Out<typeof jobInfo>;
/** The image providers, the day's quota, whether prompts can be written from photos (GET /api/generate/providers). */
export type ProvidersAnswer = Out<typeof providersAnswer>;
export type ImageProviderInfo = ProvidersAnswer['providers'][number];
export type ProductInfo = Out<typeof productInfo>;
export type ProductTypeInfo = Out<typeof productTypeInfo>;
/** white, hand, dimensions, lifestyle, model: the shots a product type has a prompt for. */
export type ShotType = keyof ProductTypeInfo['templates'];

// -- the pipeline's progress (GET /api/jobs, and each event of /api/jobs/events) ---------------------------------
export type JobsSnapshot = Out<typeof jobsSnapshotSchema>;
export type JobFailure = JobsSnapshot['failures'][number];
export type StepProgress = JobsSnapshot['steps'][string];

// -- search -----------------------------------------------------------------------------------------------------
/** Photos by words and meaning (GET /api/search): each hit with why it matched. */
export type SearchResult = Out<typeof searchResult>;
export type SearchHit = SearchResult['items'][number];
export type SearchPhoto = SearchHit['photo'];
export type HitExplanation = SearchHit['explanation'];
export type KeywordExplanation = NonNullable<HitExplanation['keyword']>;
export type SemanticExplanation = NonNullable<HitExplanation['semantic']>;
/** Photos that look like a photo or an uploaded image (POST /api/search/similar). */
export type SimilarResult = Out<typeof similarResult>;
export type SimilarHit = SimilarResult['items'][number];
/** Terms as you type (GET /api/search/suggest). */
export type SuggestResult = Out<typeof suggestResult>;
export type Suggestion = SuggestResult['items'][number];
/** Categories with their tags and photo counts (GET /api/categories). */
export type CategoryList = Out<typeof categoryList>;
export type Category = CategoryList['items'][number];

// -- people -----------------------------------------------------------------------------------------------------
export type Person = Out<typeof person>;
export type PeopleList = Out<typeof peopleList>;
/** A face with its person: a photo's faces, a person's (GET /api/people/{id}/faces, GET /api/photos/{id}/faces). */
export type FaceSummary = Out<typeof faceSummary>;
export type FaceList = Out<typeof faceList>;
/** What assigning, unassigning or rejecting a face left (POST /api/faces/{id}/assign, …/unassign, …/reject). */
export type FaceResult = Out<typeof faceResult>;
/** What a new clustering of all faces did (POST /api/people/recluster). */
export type ReclusterResult = Out<typeof reclusterResult>;

// -- imports ----------------------------------------------------------------------------------------------------
/** An import from another service uploaded from the web app (GET /api/imports/{id}). */
export type ImportInfo = Out<typeof importView>;
export type BackupUploadInfo = Out<typeof backupUploadView>;

// -- system -----------------------------------------------------------------------------------------------------
/** The AI models the server knows (GET /api/models). */
export type ModelList = Out<typeof modelList>;
export type ModelInfo = ModelList['items'][number];

// -- map --------------------------------------------------------------------------------------------------------
/** The map's clusters for a zoom and a visible area (GET /api/map/points). */
export type MapPoints = Out<typeof mapPointsResult>;
export type MapCluster = MapPoints['clusters'][number];
/** What the map draws (GET /api/map/source). */
export type MapSource = Out<typeof mapSource>;
/** The map's source settings, what they draw, and the PMTiles files on offer (GET/PUT /api/admin/map). */
export type MapConfigView = Out<typeof mapConfigView>;
/** Towns by a name's start, with where they are (GET /api/map/towns). */
export type TownsFound = Out<typeof townsFound>;

// -- memories ---------------------------------------------------------------------------------------------------
/** On this day, trips and people over the years (GET /api/memories). */
export type MemoryList = Out<typeof memoryList>;
export type MemorySummary = MemoryList['items'][number];
export type MemorySettings = Out<typeof memorySettingsView>;
