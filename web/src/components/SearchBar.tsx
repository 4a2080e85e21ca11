// The search box in the header of every page: suggestions as you type (an ARIA combobox), Enter searches,
// '/' focuses it from anywhere.
import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { suggest, type Suggestion } from '../client/search.js';
import { useMediaQuery } from '../hooks/useMediaQuery.js';
import { navigate, useLocation } from '../lib/router.js';
import { parseSearch, searchHref, suggestionSearch, textSearch } from './search/searchState.js';
import { SuggestionIcon, SUGGESTION_KIND_LABEL } from './search/SuggestionIcon.js';
import '../styles/search.css';

/** Wait this long after the last key before asking for suggestions. */
const DEBOUNCE_MS = 140;
const SUGGESTIONS = 8;

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function SearchBar() {
  const location = useLocation();
  const narrow = useMediaQuery('(max-width: 560px)');
  const onSearchPage = location.pathname === '/search';
  const current = onSearchPage ? parseSearch(location.search) : null;
  const urlQuery = current && !current.similar && !current.image ? current.q : '';

  const id = useId();
  const listId = `${id}-suggestions`;
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(urlQuery);
  /** The text to suggest for: set by typing only, so that following the URL does not open the list. */
  const [typed, setTyped] = useState<string | null>(null);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [suggestedFor, setSuggestedFor] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  // The box shows the search page's query; elsewhere it starts empty.
  useEffect(() => {
    setText(urlQuery);
    setTyped(null);
    setOpen(false);
  }, [urlQuery, onSearchPage]);

  // Suggestions for what was typed, once typing pauses; a newer keystroke cancels the older request.
  useEffect(() => {
    const q = typed?.trim() ?? '';
    if (!q) {
      setItems([]);
      setOpen(false);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      suggest(q, SUGGESTIONS, controller.signal)
        .then((found) => {
          setItems(found);
          setSuggestedFor(q);
          setActive(-1);
          setOpen(found.length > 0 && document.activeElement === input.current);
        })
        .catch(() => {
          // Aborted, or the server is away: suggestions are a convenience, the search itself reports errors.
          if (!controller.signal.aborted) setOpen(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [typed]);

  // '/' anywhere (but in a field or a dialog) puts the cursor in the box.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const close = () => {
    setOpen(false);
    setActive(-1);
  };

  const go = (href: string) => {
    close();
    setTyped(null);
    navigate(href);
    // On a touch screen, put the keyboard away so that the results can be seen.
    if (window.matchMedia('(pointer: coarse)').matches) input.current?.blur();
  };

  const choose = (suggestion: Suggestion) => {
    setText(suggestion.label);
    go(searchHref(suggestionSearch(suggestion, current)));
  };

  const submit = () => {
    if (open && active >= 0 && items[active]) return choose(items[active]);
    const q = text.trim();
    if (!q && onSearchPage) return;
    go(q ? searchHref(textSearch(q, current)) : '/search');
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) {
          if (items.length > 0 && suggestedFor === text.trim()) {
            setOpen(true);
            setActive(0);
          } else if (text.trim()) setTyped(text);
          return;
        }
        setActive((a) => (a + 1) % items.length);
        return;
      case 'ArrowUp':
        if (!open) return;
        event.preventDefault();
        setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
        return;
      case 'Enter':
        event.preventDefault();
        submit();
        return;
      case 'Escape':
        // Close the list first; then clear the box; then leave it.
        event.preventDefault();
        if (open) close();
        else if (text) {
          setText('');
          setTyped(null);
        } else input.current?.blur();
        return;
      case 'Tab':
        close();
        return;
    }
  };

  const expanded = open && items.length > 0;
  const activeId = expanded && active >= 0 ? `${id}-option-${active}` : undefined;

  return (
    <form
      role="search"
      className="search-bar"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-input`} className="visually-hidden">
        Search photos
      </label>
      <div className="search-box">
        <svg viewBox="0 0 24 24" className="icon search-box-icon" aria-hidden="true" focusable="false">
          <circle cx="10.5" cy="10.5" r="6.5" />
          <path d="m15.5 15.5 5 5" />
        </svg>
        <input
          ref={input}
          id={`${id}-input`}
          data-testid="search-input"
          type="search"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-keyshortcuts="/"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="search"
          placeholder={narrow ? 'Search photos' : 'Search photos, people, places…'}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setTyped(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onFocus={() => {
            if (items.length > 0 && suggestedFor === text.trim() && text.trim()) setOpen(true);
          }}
          onBlur={close}
        />
        {!text ? (
          <kbd className="search-box-key" aria-hidden="true" title="Press / to search">
            /
          </kbd>
        ) : null}
        <ul id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded} data-testid="suggestions">
          {expanded
            ? items.map((item, index) => (
                <li
                  key={`${item.kind}:${item.key}`}
                  id={`${id}-option-${index}`}
                  role="option"
                  aria-selected={index === active}
                  className="suggestion"
                  data-kind={item.kind}
                  // Keep the focus in the box: a click must not blur it (which would close the list first).
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseMove={() => setActive(index)}
                  onClick={() => choose(item)}
                >
                  <SuggestionIcon kind={item.kind} />
                  <span className="suggestion-label">{highlight(item.label, suggestedFor)}</span>
                  <span className="suggestion-kind">{SUGGESTION_KIND_LABEL[item.kind]}</span>
                  <span className="suggestion-count" aria-label={`${item.photos} ${item.photos === 1 ? 'photo' : 'photos'}`}>
                    {item.photos}
                  </span>
                </li>
              ))
            : null}
        </ul>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {expanded ? `${items.length} ${items.length === 1 ? 'suggestion' : 'suggestions'}; use the up and down arrows to choose` : ''}
      </p>
    </form>
  );
}

/** The label with the typed text marked where it starts the label or one of its words. */
function highlight(label: string, typed: string): ReactNode {
  const needle = typed.trim().toLocaleLowerCase();
  if (!needle) return label;
  const haystack = label.toLocaleLowerCase();
  let at = haystack.startsWith(needle) ? 0 : haystack.indexOf(` ${needle}`);
  if (at > 0) at += 1;
  if (at < 0) return label;
  return (
    <>
      {label.slice(0, at)}
      <mark>{label.slice(at, at + needle.length)}</mark>
      {label.slice(at + needle.length)}
    </>
  );
}
