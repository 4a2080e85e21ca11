// Headers every answer carries: no sniffing, no framing, and a content security policy — the web app's allows its
// own files and its one inline script (by hash); everything else (JSON, photos, originals) may run nothing at all.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/** The sha256 sources of the inline scripts of the built index.html (Vite keeps the early-fetch script inline). */
export function inlineScriptHashes(webRoot: string): string[] {
  const index = path.join(webRoot, 'index.html');
  if (!existsSync(index)) return [];
  const html = readFileSync(index, 'utf8');
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`);
  }
  return hashes;
}

/** Hosts the map loads from besides Shoebox (an admin's tile server or style: library/map/source.ts). */
interface MapOrigins {
  images: readonly string[];
  connect: readonly string[];
}

const NO_MAP_ORIGINS: MapOrigins = { images: [], connect: [] };
const withHosts = (base: string, hosts: readonly string[]) => [base, ...hosts].join(' ');

export function appPolicy(scriptHashes: readonly string[], map: MapOrigins = NO_MAP_ORIGINS): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptHashes.join(' ')}`.trim(),
    // React writes style properties through the DOM, which CSP allows; the inline allowance covers style attributes
    "style-src 'self' 'unsafe-inline'",
    // the map's hosts an admin named (PUT /api/admin/map): a tile server's tiles are images; a style's JSON, tiles,
    // glyphs and sprites are fetched; nothing else is. Map workers are Shoebox's own files (script-src 'self').
    withHosts("img-src 'self' data: blob:", map.images),
    withHosts("connect-src 'self'", map.connect),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For JSON and files: nothing runs, even when a browser is talked into rendering an original as a page. */
export const LOCKED_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

export function securityHeaders(app: FastifyInstance, webRoot: string, mapOrigins: () => Promise<MapOrigins> = async () => NO_MAP_ORIGINS): void {
  const hashes = inlineScriptHashes(webRoot);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    // no DNS lookups of hosts a page (a photo's caption, a link in a description) merely names
    reply.header('x-dns-prefetch-control', 'off');
    if (reply.hasHeader('content-security-policy')) return payload;
    const url = request.url.split('?')[0]!;
    // the OpenAPI viewer brings its own scripts and styles
    if (/^\/api\/docs(\/|$)/.test(url)) reply.header('content-security-policy', "frame-ancestors 'none'");
    else if (url.startsWith('/api/')) reply.header('content-security-policy', LOCKED_POLICY);
    else reply.header('content-security-policy', appPolicy(hashes, await mapOrigins().catch(() => NO_MAP_ORIGINS)));
    return payload;
  });
}
