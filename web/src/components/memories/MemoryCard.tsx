import { photoUrls } from '../../api.js';
import type { MemorySummary } from '../../client/memories.js';
import { Link } from '../../lib/router.js';

/** A memory as a card: its best item, its title and what it holds; opens the memory. */
export function MemoryCard({ memory, compact }: { memory: MemorySummary; compact?: boolean }) {
  return (
    <Link
      to={`/memories/${encodeURIComponent(memory.id)}`}
      className={`memory-card${compact ? ' memory-card-compact' : ''}`}
      data-testid="memory-card"
      data-kind={memory.kind}
    >
      <img src={photoUrls.thumbnail(memory.coverId)} alt="" loading="lazy" />
      <span className="memory-card-text">
        <span className="memory-card-title">{memory.title}</span>
        <span className="memory-card-subtitle">{memory.subtitle}</span>
      </span>
    </Link>
  );
}
