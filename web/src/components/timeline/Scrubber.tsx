// A date scrubber along the right edge: years marked where their photos are, the month under the pointer named,
// and a click or a drag jumps there. A slider for the keyboard too (↑/↓ a month, Page Up/Down a year).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { monthAt, type Layout } from './layout.js';

/** Year labels closer than this (px) to the one above are left out. */
const LABEL_SPACING = 22;

/** Where the timeline's top is on the page, and how tall the sticky header is. */
function geometry(container: HTMLElement | null): { docTop: number; header: number } {
  const header = document.querySelector('.app-header')?.getBoundingClientRect().height ?? 0;
  const docTop = container ? container.getBoundingClientRect().top + window.scrollY : 0;
  return { docTop, header };
}

export function Scrubber({ layout, container }: { layout: Layout; container: RefObject<HTMLDivElement | null> }) {
  const track = useRef<HTMLDivElement>(null);
  const thumb = useRef<HTMLDivElement>(null);
  const [trackHeight, setTrackHeight] = useState(0);
  const [top, setTop] = useState(0);
  const [current, setCurrent] = useState(0);
  const [hover, setHover] = useState<{ y: number; label: string } | null>(null);
  const [viewport, setViewport] = useState(() => window.innerHeight);
  const dragging = useRef(false);
  const { months, height } = layout;

  // Follow the page: the thumb's place and the month at the top of the screen. The geometry is measured when
  // it may have changed (resize, content above), so that a scroll frame reads no layout.
  useEffect(() => {
    let frame = 0;
    let docTop = 0;
    let header = 0;
    let pageHeight = 0;
    let h = 0;
    const measure = () => {
      ({ docTop, header } = geometry(container.current));
      pageHeight = document.documentElement.scrollHeight;
      h = track.current?.clientHeight ?? 0;
      setTop(header);
      setTrackHeight(h);
      setViewport(window.innerHeight);
    };
    let quiet: ReturnType<typeof setTimeout> | null = null;
    const update = () => {
      frame = 0;
      // Name the month while the page moves (a class, not state: no render per frame).
      track.current?.classList.add('scrubber-scrolling');
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(() => track.current?.classList.remove('scrubber-scrolling'), 900);
      const y = Math.max(0, window.scrollY + header - docTop);
      const fraction = Math.min(1, y / Math.max(1, height - (window.innerHeight - header)));
      if (thumb.current) thumb.current.style.transform = `translateY(${Math.round(fraction * Math.max(0, h - 4))}px)`;
      // At the very end of the page the last month may be too short to reach the top of the screen: it is the one.
      const atEnd = window.scrollY + window.innerHeight >= pageHeight - 2;
      setCurrent(atEnd ? months.length - 1 : monthAt(months, y + 1));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    const remeasure = () => {
      measure();
      schedule();
    };
    measure();
    update();
    track.current?.classList.remove('scrubber-scrolling');
    const moved = new ResizeObserver(remeasure);
    moved.observe(document.body);
    if (track.current) moved.observe(track.current);
    // the header grows on a phone (its tabs and search wrap): the track starts below it
    const headerNode = document.querySelector('.app-header');
    if (headerNode) moved.observe(headerNode);
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', remeasure);
    return () => {
      cancelAnimationFrame(frame);
      if (quiet) clearTimeout(quiet);
      moved.disconnect();
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', remeasure);
    };
  }, [container, height, months, viewport]);

  // One label per year, at its newest month, leaving out those that would overlap.
  const years = useMemo(() => {
    const out: { year: string; y: number; index: number }[] = [];
    if (trackHeight === 0) return out;
    let lastY = -Infinity;
    let lastYear = '';
    months.forEach((month, index) => {
      if (month.year === lastYear) return;
      lastYear = month.year;
      const y = (month.top / height) * trackHeight;
      if (y - lastY < LABEL_SPACING) return;
      lastY = y;
      out.push({ year: month.year, y, index });
    });
    return out;
  }, [months, height, trackHeight]);

  const scrollToContent = (y: number, smooth = false) => {
    const { docTop, header } = geometry(container.current);
    window.scrollTo({ top: Math.max(0, docTop + y - header), behavior: smooth ? 'smooth' : 'instant' });
  };

  const positionAt = (clientY: number) => {
    const rect = track.current!.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (clientY - rect.top) / Math.max(1, rect.height)));
    return { fraction, y: clientY - rect.top };
  };

  const jumpTo = (clientY: number) => {
    const { fraction } = positionAt(clientY);
    scrollToContent(fraction * height);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
    jumpTo(event.clientY);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const { fraction, y } = positionAt(event.clientY);
    const month = months[monthAt(months, fraction * height)];
    setHover(month ? { y, label: month.label } : null);
    if (dragging.current) jumpTo(event.clientY);
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    if (event.currentTarget.hasPointerCapture(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId);
  };

  const goToMonth = (index: number) => {
    const month = months[Math.max(0, Math.min(months.length - 1, index))];
    if (month) scrollToContent(month.top);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const year = months[current]?.year;
    let target: number | null = null;
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') target = current + 1;
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') target = current - 1;
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = months.length - 1;
    else if (event.key === 'PageDown') {
      target = months.findIndex((m, i) => i > current && m.year !== year);
      if (target === -1) target = months.length - 1;
    } else if (event.key === 'PageUp') {
      // The first month of the year before this one (or of this one, when not at its start).
      let i = current - 1;
      const previousYear = months[i]?.year;
      while (i > 0 && months[i - 1]!.year === previousYear) i--;
      target = Math.max(0, i);
    }
    if (target === null) return;
    event.preventDefault();
    goToMonth(target);
  };

  // Worth having only when the timeline is a few screens long.
  if (height < viewport * 3 || months.length < 2) return null;
  const label = months[current]?.label ?? '';
  return (
    <div
      ref={track}
      className="scrubber"
      style={{ top: top + 8 }}
      role="slider"
      tabIndex={0}
      aria-label="Jump to a date"
      aria-orientation="vertical"
      aria-valuemin={0}
      aria-valuemax={months.length - 1}
      aria-valuenow={current}
      aria-valuetext={label}
      data-testid="scrubber"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onPointerLeave={() => setHover(null)}
      onKeyDown={onKeyDown}
    >
      {years.map((year) => (
        <span key={year.year} className="scrubber-year" style={{ transform: `translateY(${Math.round(year.y)}px)` }} aria-hidden="true">
          {year.year}
        </span>
      ))}
      <div ref={thumb} className="scrubber-thumb" aria-hidden="true">
        <span className="scrubber-thumb-label">{label}</span>
      </div>
      {hover ? (
        <span className="scrubber-hover" style={{ transform: `translateY(${Math.round(hover.y)}px)` }} aria-hidden="true">
          {hover.label}
        </span>
      ) : null}
    </div>
  );
}
