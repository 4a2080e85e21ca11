import { useLayoutEffect } from 'react';
import { DropZone } from './components/DropZone.js';
import { Header } from './components/Header.js';
import { UploadNotice } from './components/UploadNotice.js';
import { Gallery } from './pages/Gallery.js';
import { NotFound } from './pages/NotFound.js';
import { PhotoPage } from './pages/PhotoPage.js';
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

  let page;
  const photo = matchPath('/photos/:id', location.pathname);
  if (location.pathname === '/' || location.pathname === '/index.html') page = <Gallery />;
  else if (photo) page = <PhotoPage key={photo.id} id={photo.id!} />;
  else page = <NotFound />;

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
