import { useLayoutEffect } from 'react';
import { DropZone } from './components/DropZone.js';
import { Header } from './components/Header.js';
import { UploadNotice } from './components/UploadNotice.js';
import { AlbumPage } from './pages/Album.js';
import { AlbumsPage } from './pages/Albums.js';
import { DuplicatesPage } from './pages/Duplicates.js';
import { Gallery } from './pages/Gallery.js';
import { JobsPage } from './pages/Jobs.js';
import { NotFound } from './pages/NotFound.js';
import { PeoplePage } from './pages/People.js';
import { PersonPage } from './pages/Person.js';
import { PhotoPage } from './pages/PhotoPage.js';
import { SearchPage } from './pages/Search.js';
import { TrashPage } from './pages/Trash.js';
import { matchPath, savedScroll, useLocation } from './lib/router.js';

export function App() {
  const location = useLocation();

  // New pages start at the top; Back and Forward return to where the page was left.
  useLayoutEffect(() => {
    const target = location.action === 'pop' ? savedScroll(location.key) : 0;
    window.scrollTo(0, target);
    if (Math.abs(window.scrollY - target) <= 1) return;
    // The page is not tall enough yet (still rendering): try again for a few frames.
    let frames = 0;
    let frame = requestAnimationFrame(function again() {
      window.scrollTo(0, target);
      if (Math.abs(window.scrollY - target) > 1 && ++frames < 30) frame = requestAnimationFrame(again);
    });
    return () => cancelAnimationFrame(frame);
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
      <UploadNotice />
      <div id="content" tabIndex={-1} className="content">
        {page}
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
  const album = matchPath('/albums/:id', pathname);
  if (album) return <AlbumPage key={album.id} id={album.id!} />;
  if (pathname === '/duplicates') return <DuplicatesPage />;
  if (pathname === '/jobs') return <JobsPage />;
  if (pathname === '/trash') return <TrashPage />;
  return <NotFound />;
}
