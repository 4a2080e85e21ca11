import { lazy, Suspense, useEffect, useLayoutEffect, useRef } from 'react';
import { DropZone } from './components/DropZone.js';
import { EngineBanner } from './components/EngineBanner.js';
import { OfflineBanner } from './components/OfflineBanner.js';
import { ModelOffer } from './components/ModelOffer.js';
import { Header } from './components/Header.js';
import { UploadNotice } from './components/UploadNotice.js';
import { Gallery } from './pages/Gallery.js';
import { NotFound } from './pages/NotFound.js';
import { PhotoPage } from './pages/PhotoPage.js';
import { photoLeft, restorePlace } from './lib/returnPlace.js';
import { matchPath, savedScroll, useLocation } from './lib/router.js';

// The gallery (the first screen) and the photo page (opened from every list, stepped through with the keys: no
// key press may fall into a gap while its code loads) are in the first bundle; every other page is its own
// chunk, fetched when the browser is idle after the first screen, so that moving to it later costs no wait.
const pages = {
  search: () => import('./pages/Search.js'),
  people: () => import('./pages/People.js'),
  person: () => import('./pages/Person.js'),
  albums: () => import('./pages/Albums.js'),
  album: () => import('./pages/Album.js'),
  duplicates: () => import('./pages/Duplicates.js'),
  jobs: () => import('./pages/Jobs.js'),
  trash: () => import('./pages/Trash.js'),
  favorites: () => import('./pages/Favorites.js'),
  archive: () => import('./pages/Archive.js'),
  import: () => import('./pages/Import.js'),
  backup: () => import('./pages/Backup.js'),
  share: () => import('./pages/Share.js'),
  account: () => import('./pages/Account.js'),
  sharing: () => import('./pages/Sharing.js'),
  create: () => import('./pages/Create.js'),
  catalogue: () => import('./pages/Catalogue.js'),
  libraries: () => import('./pages/Libraries.js'),
  models: () => import('./pages/Models.js'),
  map: () => import('./pages/Map.js'),
  memories: () => import('./pages/Memories.js'),
  memory: () => import('./pages/Memory.js'),
  place: () => import('./pages/Place.js'),
};
const SearchPage = lazy(() => pages.search().then((m) => ({ default: m.SearchPage })));
const PeoplePage = lazy(() => pages.people().then((m) => ({ default: m.PeoplePage })));
const PersonPage = lazy(() => pages.person().then((m) => ({ default: m.PersonPage })));
const AlbumsPage = lazy(() => pages.albums().then((m) => ({ default: m.AlbumsPage })));
const AlbumPage = lazy(() => pages.album().then((m) => ({ default: m.AlbumPage })));
const DuplicatesPage = lazy(() => pages.duplicates().then((m) => ({ default: m.DuplicatesPage })));
const JobsPage = lazy(() => pages.jobs().then((m) => ({ default: m.JobsPage })));
const TrashPage = lazy(() => pages.trash().then((m) => ({ default: m.TrashPage })));
const AccountPage = lazy(() => pages.account().then((m) => ({ default: m.AccountPage })));
const SharingPage = lazy(() => pages.sharing().then((m) => ({ default: m.SharingPage })));
const PartnerPage = lazy(() => pages.sharing().then((m) => ({ default: m.PartnerPage })));
const FavoritesPage = lazy(() => pages.favorites().then((m) => ({ default: m.FavoritesPage })));
const ArchivePage = lazy(() => pages.archive().then((m) => ({ default: m.ArchivePage })));
const ImportPage = lazy(() => pages.import().then((m) => ({ default: m.ImportPage })));
const BackupPage = lazy(() => pages.backup().then((m) => ({ default: m.BackupPage })));
const SharePage = lazy(() => pages.share().then((m) => ({ default: m.SharePage })));
const CreatePage = lazy(() => pages.create().then((m) => ({ default: m.CreatePage })));
const CataloguePage = lazy(() => pages.catalogue().then((m) => ({ default: m.CataloguePage })));
const LibrariesPage = lazy(() => pages.libraries().then((m) => ({ default: m.LibrariesPage })));
const ModelsPage = lazy(() => pages.models().then((m) => ({ default: m.ModelsPage })));
const MapPage = lazy(() => pages.map().then((m) => ({ default: m.MapPage })));
const MemoriesPage = lazy(() => pages.memories().then((m) => ({ default: m.MemoriesPage })));
const MemoryPage = lazy(() => pages.memory().then((m) => ({ default: m.MemoryPage })));
const PlacePage = lazy(() => pages.place().then((m) => ({ default: m.PlacePage })));

/** Fetches every page's chunk once the browser has nothing better to do. */
function usePrefetchPages(): void {
  useEffect(() => {
    const prefetch = () => {
      for (const load of Object.values(pages)) void load().catch(() => undefined); // retried on navigation
    };
    // Safari has no requestIdleCallback
    const idle = window.requestIdleCallback as typeof window.requestIdleCallback | undefined;
    if (idle) {
      const handle = window.requestIdleCallback(prefetch, { timeout: 3000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = window.setTimeout(prefetch, 1500);
    return () => window.clearTimeout(timer);
  }, []);
}

export function App() {
  const location = useLocation();
  usePrefetchPages();

  // New pages start at the top; Back and Forward return to where the page was left. Coming back from a photo,
  // the list also shows the photo last looked at (returnPlace.ts).
  const previous = useRef<string | null>(null);
  useLayoutEffect(() => {
    const fromPhoto = location.pathname.startsWith('/photos/') ? null : photoLeft(previous.current);
    previous.current = location.pathname;
    if (location.action !== 'pop' && !fromPhoto) {
      window.scrollTo(0, 0);
      return;
    }
    return restorePlace(location.action === 'pop' ? savedScroll(location.key) : 0, fromPhoto);
  }, [location]);

  const page = pageFor(location.pathname);
  return (
    <>
      <a
        className="skip-link"
        href="#content"
        onClick={(event) => {
          event.preventDefault(); // no fragment navigation: the router would take it for Back/Forward
          document.getElementById('content')?.focus();
        }}
      >
        Skip to content
      </a>
      <Header />
      <OfflineBanner />
      <EngineBanner />
      {location.pathname === '/' || location.pathname === '/search' ? <ModelOffer /> : null}
      <UploadNotice />
      <div id="content" tabIndex={-1} className="content">
        <Suspense fallback={<div className="page-loading" role="status" aria-label="Loading page" />}>{page}</Suspense>
      </div>
      <DropZone />
    </>
  );
}

/** The page for a path; pages with an id are keyed by it so that moving between two starts afresh. */
function pageFor(pathname: string) {
  if (pathname === '/' || pathname === '/index.html') return <Gallery />;
  const photo = matchPath('/photos/:id', pathname);
  if (photo) return <PhotoPage key={photo.id} id={photo.id!} />;
  if (pathname === '/search') return <SearchPage />;
  if (pathname === '/people') return <PeoplePage />;
  const person = matchPath('/people/:id', pathname);
  if (person) return <PersonPage key={person.id} id={person.id!} />;
  if (pathname === '/albums') return <AlbumsPage />;
  if (pathname === '/map') return <MapPage />;
  if (pathname === '/memories') return <MemoriesPage />;
  const memory = matchPath('/memories/:id', pathname);
  if (memory) return <MemoryPage key={memory.id} id={memory.id!} />;
  const place = matchPath('/places/:name', pathname);
  if (place) return <PlacePage key={place.name} name={place.name!} />;
  const album = matchPath('/albums/:id', pathname);
  if (album) return <AlbumPage key={album.id} id={album.id!} />;
  if (pathname === '/duplicates') return <DuplicatesPage />;
  if (pathname === '/jobs') return <JobsPage />;
  if (pathname === '/trash') return <TrashPage />;
  if (pathname === '/favorites') return <FavoritesPage />;
  if (pathname === '/archive') return <ArchivePage />;
  if (pathname === '/import') return <ImportPage />;
  if (pathname === '/backup') return <BackupPage />;
  if (pathname === '/share') return <SharePage signedIn />;
  if (pathname === '/account') return <AccountPage />;
  if (pathname === '/sharing') return <SharingPage />;
  if (pathname === '/create') return <CreatePage />;
  if (pathname === '/catalogue') return <CataloguePage />;
  if (pathname === '/settings/libraries') return <LibrariesPage />;
  if (pathname === '/settings/models') return <ModelsPage />;
  const partner = matchPath('/partners/:id', pathname);
  if (partner) return <PartnerPage key={partner.id} id={partner.id!} />;
  return <NotFound />;
}
