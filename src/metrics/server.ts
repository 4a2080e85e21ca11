import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

/**
 * What clients may hold of the metrics port: a scraper asks a GET now and then, so a request is whole within 10 s
 * and at most 32 connections are open (the rest are closed at once). Without these a crowd of stalled connections
 * on this port would take the process's file handles, as one did on the API's (issue 59).
 */
const LIMITS = { headersTimeout: 10_000, requestTimeout: 10_000, connectionsCheckingInterval: 2_000 };
export const METRICS_MAX_CONNECTIONS = 32;

/**
 * `GET /metrics` on a port of its own (SHOEBOX_METRICS_PORT), without signing in: for a worker, which has no API,
 * and for a Prometheus server on a private network. Nothing else is served there.
 */
export async function startMetricsServer(metrics: Metrics, host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(LIMITS, (request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served on this port\n');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(503, { 'content-type': 'text/plain' }).end('metrics could not be read now\n'),
    );
  });
  server.maxConnections = METRICS_MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
