// The server's limits on what clients hold of it, wired in one place: Node's header time-out, the body deadlines
// (body-deadlines.ts) and the connection gate (connection-limits.ts), sized from the settings and the process's
// file-handle limit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import type { Settings } from '../config/settings.js';
import { BodyDeadlines } from './body-deadlines.js';
import { ConnectionGate, type ConnectionCut } from './connection-limits.js';

/** Node's own limits for the server: headers whole within SHOEBOX_HEADER_SECONDS; bodies are watched by BodyDeadlines. */
export function httpServerOptions(settings: Settings): ServerOptions {
  const headersTimeout = Math.round(settings.headerSeconds * 1000);
  return {
    headersTimeout,
    // Node's time-out on a whole request would cut a long upload: bodies have deadlines of their own
    requestTimeout: 0,
    // how often Node looks for connections past their header time-out (default 30 s: a stalled header held up to twice as long)
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.round(headersTimeout / 4))),
  };
}

/** The soft limit on this process's open files (Node raises it to the hard limit at start); null when unknown. */
export function fileHandleLimit(): number | null {
  try {
    const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (line) return line[1] === 'unlimited' ? Infinity : Number(line[1]);
  } catch {
    // not Linux: ask a shell, which inherits the limit
  }
  try {
    const answer = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 }).trim();
    return answer === 'unlimited' ? Infinity : Number(answer) || null;
  } catch {
    return null;
  }
}

/**
 * Connections open at most when SHOEBOX_MAX_CONNECTIONS is not set: the file handles less a quarter of them (at
 * least 256) for the database, stored files, tools and temp files, and at most 10,000 (each costs memory too).
 */
export function defaultMaxConnections(handles: number | null): number {
  const limit = handles ?? 1024;
  if (!Number.isFinite(limit)) return 10_000;
  return Math.max(64, Math.min(10_000, limit - Math.max(256, Math.floor(limit / 4))));
}

/** Node's keep-alive between two requests on a connection: Fastify's own default, which a server factory must set. */
const KEEP_ALIVE_MS = 72_000;

/**
 * The app's HTTP servers (Fastify's serverFactory), each with the header time-out, the body deadlines and the
 * connection gate. Made here rather than after Fastify made them, so that no server goes without: a host name with
 * several addresses (localhost) then listens on its first only, as Fastify leaves those of a factory alone.
 */
export function guardedServers(settings: Settings, onCut: (reason: ConnectionCut | 'body') => void): FastifyServerFactory {
  const total = settings.maxConnections ?? defaultMaxConnections(fileHandleLimit());
  return (handler) => {
    const server = http.createServer(httpServerOptions(settings), handler);
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    const bodies = new BodyDeadlines({ idleMs: settings.uploadIdleSeconds * 1000, totalMs: settings.bodySeconds * 1000 }, () => onCut('body'));
    // behind a reverse proxy every connection comes from the proxy: counting them per address would make all its clients one
    new ConnectionGate({ perAddress: settings.trustProxy ? null : settings.connectionsPerAddress, total }, onCut).install(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => bodies.watch(request, response));
    server.once('close', () => bodies.stop());
    return server;
  };
}
