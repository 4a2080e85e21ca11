import { useEffect, useState } from 'react';
import { listMemories, type MemorySummary } from '../../client/memories.js';
import { Link } from '../../lib/router.js';
import { MemoryCard } from './MemoryCard.js';
import '../../styles/memories.css';

/** The memories at the top of the timeline, a row to swipe through; nothing at all when there are none. */
export function MemoryStrip() {
  const [memories, setMemories] = useState<MemorySummary[] | null>(null);
  useEffect(() => {
    let live = true;
    listMemories()
      .then((list) => live && setMemories(list.items))
      .catch(() => live && setMemories([])); // the timeline is what matters here: no error for a missing strip
    return () => {
      live = false;
    };
  }, []);
  if (!memories || memories.length === 0) return null;
  return (
    <section className="memory-strip" aria-label="Memories" data-testid="memory-strip">
      <ul>
        {memories.slice(0, 12).map((memory) => (
          <li key={memory.id}>
            <MemoryCard memory={memory} compact />
          </li>
        ))}
      </ul>
      <Link to="/memories" className="memory-strip-all">
        All memories
      </Link>
    </section>
  );
}
