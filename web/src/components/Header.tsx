import { useEffect } from 'react';
import { formatCount, photosAndVideos } from '../lib/format.js';
import { Link, useLocation } from '../lib/router.js';
import { library, useLibrary } from '../store/library.js';
import { JobsIndicator } from './JobsIndicator.js';
import { SearchBar } from './SearchBar.js';
import { UploadButton } from './UploadButton.js';
import { MoreMenu } from './nav/MoreMenu.js';
import { CREATION, EVERYDAY, PHONE_BAR, sectionOf, TOOLS, type Section } from './nav/sections.js';
import { useCreationTools } from '../store/creationTools.js';

/**
 * The bar at the top of every page: the library's name and counts, search, jobs, upload and the account; and the
 * navigation, a row under it on a desk and a bar at the bottom of a phone's screen (styles.css). Work in progress
 * shows as the jobs indicator (live from the event stream), not as a count here.
 */
export function Header() {
  const { pathname } = useLocation();
  const current = sectionOf(pathname);
  // a library without the creation tools shows them nowhere; with them, in the main row or behind More
  const creation = useCreationTools();
  const main: readonly Section[] = creation.inMain ? [...EVERYDAY, ...CREATION] : EVERYDAY;
  const more = creation.on && !creation.inMain ? [...CREATION, ...TOOLS] : TOOLS;
  const { stats, total, videos, status } = useLibrary();
  useEffect(() => library.ensureLoaded(), []); // the count is the gallery's, whichever page is open first
  // what the gallery lists, as its photos' pages count them ("5 of 12"): the archive and a stack's hidden photos left
  // out (the jobs' counts, which take in every photo, said 13)
  const count = status === 'ready' || total > 0 ? total : null;
  const partial = stats?.states.partial ?? 0;
  const failed = stats?.states.failed ?? 0;
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link to="/" className="brand" aria-label="Shoebox — all photos">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect x="3" y="11" width="26" height="17" rx="2.5" fill="currentColor" opacity="0.85" />
            <path d="M2 8.5A2.5 2.5 0 0 1 4.5 6h23A2.5 2.5 0 0 1 30 8.5V12H2z" fill="currentColor" />
          </svg>
          <span className="brand-name">Shoebox</span>
        </Link>
        <p className="library-counts" data-testid="library-counts">
          {count === null ? <span className="muted">…</span> : <span className="count-total">{photosAndVideos(count, videos)}</span>}
          {partial > 0 ? (
            <Link to="/jobs" className="count-chip count-partial" title="Photos where some steps failed: see why on the jobs page">
              {formatCount(partial)} partial
            </Link>
          ) : null}
          {failed > 0 ? (
            <Link to="/jobs" className="count-chip count-failed" title="Photos whose file could not be read: see why on the jobs page">
              {formatCount(failed)} failed
            </Link>
          ) : null}
        </p>
        <SearchBar />
        <div className="header-actions">
          <JobsIndicator />
          <UploadButton />
          <Link to="/account" className="button button-ghost account-link" aria-label="Account">
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
              <circle cx="12" cy="8" r="4" fill="currentColor" />
              <path d="M4 21a8 8 0 0 1 16 0z" fill="currentColor" />
            </svg>
          </Link>
        </div>
      </div>
      <nav className="app-nav" aria-label="Sections">
        {main.map((section, index) => (
          <Link
            key={section.to}
            to={section.to}
            className={`app-nav-link${index >= PHONE_BAR ? ' nav-desk-only' : ''}`}
            aria-current={current === section.to ? 'page' : undefined}
          >
            {section.icon ? (
              <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d={section.icon} />
              </svg>
            ) : null}
            <span className="nav-label">{section.label}</span>
          </Link>
        ))}
        <MoreMenu items={more} phoneOnly={main.slice(PHONE_BAR)} current={current} />
      </nav>
    </header>
  );
}
