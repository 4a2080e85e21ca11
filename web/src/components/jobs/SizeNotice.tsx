// An embedded library past the size its database was measured to serve quickly: the admin is told, with the
// command that moves it to PostgreSQL. /api/health sends `embeddedSize` to admins alone, so others never see it.
import { useEffect, useState } from 'react';

interface EmbeddedSize {
  photos: number;
  comfortable: number;
  message: string;
  command: string;
  docs: string;
}

async function embeddedSize(): Promise<EmbeddedSize | null> {
  const response = await fetch('/api/health', { credentials: 'same-origin' });
  const body = (await response.json()) as { embeddedSize?: EmbeddedSize | null };
  return body.embeddedSize ?? null;
}

export function SizeNotice() {
  const [size, setSize] = useState<EmbeddedSize | null>(null);

  useEffect(() => {
    let stopped = false;
    embeddedSize().then(
      (answer) => !stopped && setSize(answer),
      () => undefined, // the server unreachable: the page says so
    );
    return () => {
      stopped = true;
    };
  }, []);

  if (!size) return null;
  return (
    <section className="notice notice-warning size-notice" role="status" aria-label="Library size">
      <div className="notice-body">
        <p>
          <strong>This library has outgrown the embedded database.</strong> {/* the server's words, the command in them between backticks */}
          {size.message.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}
        </p>
      </div>
    </section>
  );
}
