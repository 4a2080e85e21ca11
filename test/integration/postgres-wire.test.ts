import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWirePostgres, type WirePostgres } from '../helpers/postgres-wire.js';
import { assets, startTestServer, upload, waitForTerminal, type TestServer, authFetch, withoutFacesOrText } from '../helpers/server.js';

// The cluster mode's driver path (`pg` + DATABASE_URL), tested against Postgres served over the wire by PGlite.
describe('Shoebox on a PostgreSQL server (pg driver over the wire protocol)', () => {
  let postgres: WirePostgres;
  let server: TestServer;

  beforeAll(async () => {
    postgres = await startWirePostgres();
    // pglite-socket shares one session between connections: one pooled connection keeps it honest.
    server = await startTestServer(withoutFacesOrText({ databaseUrl: postgres.url, databasePoolSize: 1 }));
  });

  afterAll(async () => {
    await server?.dispose();
    await postgres?.stop();
  });

  it('migrates, ingests, runs the pipeline and lists photos', async () => {
    const health = await (await authFetch(`${server.url}/api/health`)).json();
    expect(health.database).toMatchObject({ ok: true, kind: 'postgres' });
    const file = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
    const { status, body } = await upload(server.url, [{ path: file }]);
    expect(status).toBe(201);
    await waitForTerminal(server.url, [body.items[0].id]);
    const detail = await (await authFetch(`${server.url}/api/photos/${body.items[0].id}`)).json();
    expect(detail.state).toBe('completed');
    expect(detail.metadata.latitude).toBeCloseTo(39.115, 4);
    const again = await upload(server.url, [{ path: file }]);
    expect(again.body.items[0]).toMatchObject({ id: body.items[0].id, duplicate: true });
    const tables = await postgres.pglite.query<{ n: number }>('select count(*)::int as n from photos');
    expect(tables.rows[0]!.n).toBe(1);
    // Search runs the same SQL over the wire, with the session settings the pool applies to each connection.
    const found = await (await authFetch(`${server.url}/api/search?q=thompson&mode=keyword`)).json();
    expect(found.items.map((hit: { photo: { id: string } }) => hit.photo.id)).toEqual([body.items[0].id]);
    const settings = await postgres.pglite.query<{ v: string }>("select current_setting('hnsw.iterative_scan') as v");
    expect(settings.rows[0]!.v).toBe('relaxed_order');
  });
});
