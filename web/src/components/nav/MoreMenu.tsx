import { useEffect, useId, useRef, useState } from 'react';
import { usePointerOutside } from '../../hooks/usePointerOutside.js';
import { Link, useLocation } from '../../lib/router.js';
import type { Section } from './sections.js';

interface Props {
  /** Sections shown in the menu on every screen. */
  items: readonly Section[];
  /** Sections that stand in the main row on a desk but live here on a phone. */
  phoneOnly: readonly Section[];
  /** The current section, to mark it and the button that leads to it. */
  current: string | null;
}

/**
 * "More": a button that opens the list of the sections not in the main row (a disclosure, so the links stay plain
 * links for assistive technology). It closes on a choice, Escape, a tap outside, or moving to another page.
 */
export function MoreMenu({ items, phoneOnly, current }: Props) {
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const listId = useId();

  useEffect(() => setOpen(false), [pathname]);
  usePointerOutside(open, root, () => setOpen(false));
  useEffect(() => {
    if (!open) return;
    const escape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault(); // the menu's, not the page's (the photo page goes back on Escape)
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', escape);
    return () => document.removeEventListener('keydown', escape);
  }, [open]);

  // A section that stands in the desk's main row is marked there, so "More" leads to it only on a phone.
  const inside = items.some((section) => section.to === current) ? 'always' : phoneOnly.some((section) => section.to === current) ? 'phone' : undefined;
  const link = (section: Section, phone: boolean) => (
    <li key={section.to} className={phone ? 'more-phone-only' : undefined}>
      <Link to={section.to} className="more-link" aria-current={current === section.to ? 'page' : undefined} onClick={() => setOpen(false)}>
        {section.label}
      </Link>
    </li>
  );
  return (
    <div className="more" ref={root}>
      <button
        ref={button}
        type="button"
        className="app-nav-link more-button"
        aria-expanded={open}
        aria-controls={listId}
        data-current={inside}
        onClick={() => setOpen((was) => !was)}
      >
        <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="5" cy="12" r="1.8" />
          <circle cx="12" cy="12" r="1.8" />
          <circle cx="19" cy="12" r="1.8" />
        </svg>
        <span className="nav-label">More</span>
      </button>
      <ul id={listId} className="more-list" hidden={!open} data-testid="more-menu">
        {phoneOnly.map((section) => link(section, true))}
        {items.map((section) => link(section, false))}
      </ul>
    </div>
  );
}
