import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_MAX_CONNECTIONS } from '../../src/metrics/server.js';
import { assets, authFetch, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

// GET /metrics in Prometheus' text format: admins only on the API's port, open on SHOEBOX_METRICS_PORT.
describe('metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText({ metricsPort: 0 }));
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const sample = (text: string, name: string, labels: string) => {
    const line = text.split('\n').find((row) => row.startsWith(`${name}{${labels}}`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('counts requests by route, steps by outcome, and shows the queues, their workers and the process', async () => {
    const { body } = await upload(server.url, [{ path: path.join(assets, 'formats/jpg/el_torcal_rocks.jpg') }]);
    const id = body.items[0].id as string;
    await waitForTerminal(server.url, [id]);
    await authFetch(`${server.url}/api/photos/${id}`);
    const response = await authFetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'shoebox_http_request_duration_seconds_count', 'method="POST",route="/api/photos",status="201"')).toBe(1);
    // the route's pattern, never the photo's id: one series per route
    expect(sample(text, 'shoebox_http_request_duration_seconds_count', 'method="GET",route="/api/photos/:id",status="200"')).toBe(1);
    expect(text).not.toContain(id);
    expect(sample(text, 'shoebox_step_duration_seconds_count', 'step="preprocessing",outcome="done"')).toBe(1);
    expect(sample(text, 'shoebox_queue_workers', 'queue="quick"')).toBe(1);
    expect(sample(text, 'shoebox_queue_jobs', 'queue="faces",state="waiting"')).toBe(0);
    expect(text).toMatch(/^shoebox_process_resident_memory_bytes \d+/m);
    expect(sample(text, 'shoebox_steps', 'step="preprocessing",status="pending"')).toBe(0); // all done
    expect(sample(text, 'shoebox_steps', 'step="captions",status="failed"')).toBe(0);
  });

  it('is for admins on the API port, and open only on its own port', async () => {
    expect((await authFetch(`${server.url}/metrics`, { anonymous: true })).status).toBe(401);
    const open = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('shoebox_http_request_duration_seconds');
    expect((await fetch(`http://127.0.0.1:${server.metricsPort}/api/photos`)).status).toBe(404);
  });

  it('holds no more than 32 connections on its own port: a crowd of stalled ones cannot take the process’s file handles', async () => {
    const stalled = await Promise.all(
      Array.from({ length: 40 }, () => {
        const socket = net.connect(server.metricsPort!, '127.0.0.1');
        const held = { socket, closed: false };
        socket.on('error', () => undefined);
        socket.on('close', () => (held.closed = true));
        return new Promise<typeof held>((resolve) => socket.on('connect', () => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n', () => resolve(held))));
      }),
    );
    try {
      // (the earlier test's connections, kept alive, count too)
      await expect.poll(() => stalled.filter((held) => held.closed).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(40 - METRICS_MAX_CONNECTIONS);
      expect(stalled.filter((held) => !held.closed).length).toBeGreaterThan(METRICS_MAX_CONNECTIONS / 2);
    } finally {
      for (const held of stalled) held.socket.destroy();
    }
  });
});
