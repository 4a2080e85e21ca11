import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface WirePostgres {
  /** The database behind the socket, to look at directly. */
  pglite: PGlite;
  /** A `postgres://` URL for the pg driver. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL over the wire protocol, served by an in-memory PGlite with the extensions the schema needs: the
 * cluster mode's driver path (`pg` + DATABASE_URL) without a Postgres server. pglite-socket shares one session
 * between connections, so clients keep to one pooled connection.
 */
export async function startWirePostgres(): Promise<WirePostgres> {
  const pglite = await PGlite.create({ extensions: { vector, pg_trgm, unaccent } });
  const socket = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1' });
  await socket.start();
  const [host, port] = socket.getServerConn().split(':');
  return {
    pglite,
    url: `postgres://postgres@${host}:${port}/postgres`,
    async stop() {
      await socket.stop();
      await pglite.close();
    },
  };
}
