// Compressed answers for a slow link (issue 63 item 6: a phone on Fast 3G waited ~0.6 s for 108 KB of timeline JSON).
// Text is compressed — JSON, the web app's HTML, scripts, styles, SVG and manifest — and what mime-db calls
// compressible; never a stored file (api/photos.ts sendStored marks its request: an original BMP goes as it is), JPEG,
// WebP, HEIC, videos, zips or a file of no known type (a RAW original is application/octet-stream, which
// @fastify/compress would compress by default). A partial answer (206, Content-Range) is left whole: its range counts
// the file's own bytes. The hijacked routes (tus uploads, the jobs' event stream) write to the socket themselves and
// are never touched.
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** The content types worth compressing: text the server writes or the web app's build holds. */
export const COMPRESSED_TYPES = /^(?:application\/(?:json|javascript|manifest\+json)|text\/(?:html|css|javascript|plain)|image\/svg\+xml)(?:;|$)/u;

/**
 * Registered before any route: the plugin adds its hook to each route as it is declared (onRoute), so a route
 * declared before it would answer uncompressed.
 */
export async function compression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    // brotli first (a third smaller than gzip on the timeline's JSON), at the plugin's quality 4: cheap on the CPU
    encodings: ['br', 'gzip'],
    customTypes: COMPRESSED_TYPES,
    threshold: 1024,
    // answers only: a request body is never decompressed (a tus PATCH or a multipart upload reads the raw stream, and
    // nothing Shoebox serves sends compressed bodies)
    globalDecompression: false,
  });
}
