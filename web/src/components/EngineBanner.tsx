// What an admin must know at once: an engine the server depends on (the database, Redis, the file storage) is down,
// since when and why. Read from /api/health, which answers from the server's background probes without waiting.
import { useEffect, useState } from 'react';
import { accountApi } from '../client/account.js';

interface Engine {
  name: 'database' | 'queue' | 'storage';
  ok: boolean;
  since: string;
  error: string | null;
}

const ENGINE_WORDS: Record<Engine['name'], string> = {
  database: 'The database',
  queue: 'The queue (Redis)',
  storage: 'The file storage',
};

const EFFECTS: Record<Engine['name'], string> = {
  database: 'nothing can be read or changed',
  queue: 'photos wait for their analysis and uploads are refused',
  storage: 'photos cannot be shown or uploaded and their analysis waits',
};

/** How often an admin's page asks again. */
const POLL_MS = 10_000;

async function downEngines(): Promise<Engine[]> {
  // 503 (the database down) still carries the body
  const response = await fetch('/api/health', { credentials: 'same-origin' });
  const body = (await response.json()) as { engines?: Engine[] };
  return (body.engines ?? []).filter((engine) => !engine.ok);
}

export function EngineBanner() {
  const [admin, setAdmin] = useState(false);
  const [down, setDown] = useState<Engine[]>([]);

  useEffect(() => {
    accountApi.me().then(
      (me) => setAdmin(me.role === 'admin'),
      () => setAdmin(false),
    );
  }, []);

  useEffect(() => {
    if (!admin) return;
    let stopped = false;
    const look = () =>
      downEngines().then(
        (engines) => !stopped && setDown(engines),
        () => undefined, // the server itself is unreachable: the pages say so
      );
    void look();
    const timer = window.setInterval(look, POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [admin]);

  if (!admin || down.length === 0) return null;
  return (
    <div className="notice notice-warning engine-banner" role="alert">
      <div className="notice-body">
        {down.map((engine) => (
          <p key={engine.name}>
            <strong>{ENGINE_WORDS[engine.name]} is down</strong> since {new Date(engine.since).toLocaleString()}: {EFFECTS[engine.name]}.
            {engine.error ? <span className="engine-error"> ({engine.error})</span> : null}
          </p>
        ))}
      </div>
    </div>
  );
}
