// The rows of a timeline on screen: month headers, and rows of tiles with their day labels. Each row is placed
// absolutely at the top the layout computed, so rows can come and go as the page scrolls.
import { memo, type CSSProperties } from 'react';
import type { PhotoSequence } from '../../store/photoSequence.js';
import type { SelectionState } from '../../store/selection.js';
import { formatCount, photosAndVideos } from '../../lib/format.js';
import type { TilePhoto } from '../../client/library.js';
import { CheckIcon, PhotoTile } from '../PhotoTile.js';
import type { Row, Segment } from './layout.js';

export interface RowContext {
  sequence: PhotoSequence;
  /** Bumped when photos arrive: rows look again. */
  version: number;
  selection: SelectionState;
  selectable: boolean;
  onSelect: (photo: TilePhoto, range: boolean, pressed?: boolean) => void;
  onSelectGroup: (start: number, count: number, select: boolean) => void;
  onOpen: (photo: TilePhoto) => void;
}

/** Whether every photo of a group is loaded and selected (a group not loaded yet cannot be all selected). */
function groupSelected(context: RowContext, start: number, count: number): boolean {
  const { selection, sequence } = context;
  if (selection.scope !== sequence.key || selection.ids.size < count) return false;
  for (let offset = start; offset < start + count; offset++) {
    const photo = sequence.photoAt(offset);
    if (!photo || !selection.ids.has(photo.id)) return false;
  }
  return true;
}

const rowStyle = (row: Row): CSSProperties => ({ transform: `translateY(${row.top}px)`, height: row.height });

export const TimelineRow = memo(function TimelineRow({ row, context }: { row: Row; context: RowContext }) {
  if (row.kind === 'month') {
    const selected = context.selectable && groupSelected(context, row.start, row.count);
    return (
      <div className="timeline-row timeline-month" style={rowStyle(row)} data-month={row.month}>
        <h2 className="timeline-month-title" data-testid="month-header">
          {context.selectable ? (
            <GroupCheck
              label={`all ${photosAndVideos(row.count, row.videos)} of ${row.label}`}
              selected={selected}
              onToggle={() => context.onSelectGroup(row.start, row.count, !selected)}
            />
          ) : null}
          <span>{row.label}</span> <span className="timeline-count">{formatCount(row.count)}</span>
        </h2>
      </div>
    );
  }
  return (
    <div className={`timeline-row timeline-tiles${row.labelled ? ' timeline-tiles-labelled' : ''}`} style={rowStyle(row)} role="presentation">
      {row.segments.map((segment) => (
        <SegmentView key={segment.start} segment={segment} context={context} labelled={row.labelled} />
      ))}
    </div>
  );
});

function SegmentView({ segment, context, labelled }: { segment: Segment; context: RowContext; labelled: boolean }) {
  const { sequence, selection } = context;
  const selecting = selection.scope === sequence.key && selection.ids.size > 0;
  const tiles = [];
  for (let offset = segment.start; offset < segment.start + segment.count; offset++) {
    const photo = sequence.photoAt(offset);
    tiles.push(
      photo ? (
        <PhotoTile
          key={photo.id}
          photo={photo}
          selected={selecting && selection.ids.has(photo.id)}
          selecting={selecting}
          onSelect={context.selectable ? context.onSelect : undefined}
          onOpen={context.onOpen}
          eager
        />
      ) : (
        <span key={`o${offset}`} className="tile-cell tile-waiting" aria-hidden="true" data-offset={offset} />
      ),
    );
  }
  const daySelected = segment.label !== null && context.selectable && groupSelected(context, segment.dayStart, segment.dayCount);
  return (
    <div
      className="timeline-segment"
      style={{ gridColumn: `${segment.column + 1} / span ${segment.count}` } as CSSProperties}
      role="group"
      aria-label={segment.label ?? undefined}
      data-day={segment.day}
    >
      {labelled ? (
        <div className="timeline-day">
          {segment.label !== null ? (
            <h3 className="timeline-day-title" data-testid="day-header" title={segment.label}>
              {context.selectable ? (
                <GroupCheck
                  label={`all ${photosAndVideos(segment.dayCount, segment.dayVideos)} of ${segment.label}`}
                  selected={daySelected}
                  onToggle={() => context.onSelectGroup(segment.dayStart, segment.dayCount, !daySelected)}
                />
              ) : null}
              <span className="timeline-day-name">{segment.label}</span>
            </h3>
          ) : null}
        </div>
      ) : null}
      <div className="timeline-segment-tiles" style={{ gridTemplateColumns: `repeat(${segment.count}, var(--tile))` }}>
        {tiles}
      </div>
    </div>
  );
}

function GroupCheck({ label, selected, onToggle }: { label: string; selected: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="group-check"
      aria-pressed={selected}
      aria-label={`${selected ? 'Unselect' : 'Select'} ${label}`}
      title={selected ? 'Unselect all' : 'Select all'}
      data-testid="group-check"
      onClick={onToggle}
    >
      <CheckIcon />
    </button>
  );
}
