import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import fastifyCookie from '@fastify/cookie';
import type { Resources } from '../library/library.js';
import { publicMessageOf, ServiceUnavailableError } from '../base/errors.js';
import { webRoot } from '../config/paths.js';
import { StorageUnavailableError } from '../storage/blob-store.js';
import { sqlState } from '../db/connection.js';
import { inPlaceLibraryRoutes } from './libraries.js';
import { adminRoutes } from './admin.js';
import { apiKeyRoutes } from './api-keys.js';
import { authRoutes } from './auth.js';
import { authPlugin } from './plugins/auth.js';
import { securityHeaders } from './plugins/security-headers.js';
import { compression } from './plugins/compression.js';
import { version } from '../config/version.js';
import { albumRoutes } from './albums.js';
import { importRoutes } from './imports.js';
import { uploadRoutes } from './uploads.js';
import { exportRoutes } from './exports.js';
import { autoAlbumRoutes } from './auto-albums.js';
import { categoryRoutes } from './categories.js';
import { sharingRoutes } from './sharing.js';
import { oidcRoutes } from './oidc.js';
import { shareVisitRoutes } from './share-visit.js';
import { duplicateRoutes } from './duplicates.js';
import { stackRoutes } from './stacks.js';
import { jobsRoutes } from './jobs.js';
import { modelRoutes } from './models.js';
import { peopleRoutes } from './people.js';
import { photoRoutes } from './photos.js';
import { photoEditRoutes } from './photo-edit.js';
import { searchRoutes } from './search-routes.js';
import { systemRoutes } from './system.js';
import { LibrarySize } from '../app/library-size.js';
import { EngineMonitor } from '../app/engine-health.js';
import { refuseNulText } from './text-guard.js';
import { timelineRoutes } from './timeline.js';
import { mapRoutes } from './map.js';
import { mapOrigins } from '../library/map/index.js';
import { memoryRoutes } from './memories.js';
import { trashRoutes } from './trash.js';
import { MAX_UPLOAD_FILES } from './multipart-errors.js';
import { creationToolRoutes } from './creation-tools.js';
import { statusOfError } from './error-status.js';
import { guardedServers } from './http-guards.js';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export async function buildApp(lib: Resources, logger: Logger): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per pipeline step is the log that matters; a line per request would drown it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // behind a reverse proxy: X-Forwarded-Proto makes cookies Secure, X-Forwarded-For is the client's address.
    // One hop: the address the proxy appended, never one the client wrote ahead of it (a new one per guess)
    trustProxy: lib.settings.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    // stalled clients: headers and bodies with deadlines, connections bounded per address and in all
    serverFactory: guardedServers(lib.settings, (reason) => lib.metrics.connectionCut(reason)),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  refuseNulText(app);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'request';
      const problems = error.validation
        .map((issue) => {
          const field = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
          return `${context}${field ? `.${field}` : ''}: ${issue.message}`;
        })
        .join('; ');
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: problems });
    }
    // a share link's visitor, or anyone not signed in, is told the reason without the server's paths (base/errors.ts)
    const message = request.actor === null || request.routeOptions.config?.access === 'link' ? publicMessageOf(error) : error.message;
    const kindStatus = statusOfError(error);
    if (kindStatus !== null) return reply.code(kindStatus).send({ statusCode: kindStatus, error: STATUS_NAMES[kindStatus] ?? 'Error', message });
    if ((error as unknown) instanceof ServiceUnavailableError) {
      return reply.code(503).header('retry-after', '30').send({ statusCode: 503, error: 'Service Unavailable', message });
    }
    if (sqlState(error) === '40P01' || sqlState(error) === '40001') {
      // PostgreSQL aborted this transaction for one it met (a trash against a removal from an album in the other order)
      const met = 'the request met another change to the same rows and was stopped: send it again';
      request.log.warn({ err: error, url: request.url }, 'transaction aborted by the database (deadlock or serialization)');
      return reply.code(503).header('retry-after', '1').send({ statusCode: 503, error: 'Service Unavailable', message: met });
    }
    if ((error as unknown) instanceof StorageUnavailableError) {
      // the object store is down or overloaded: worth trying again, and not the server's own fault
      request.log.warn({ err: error, url: request.url }, 'object storage unavailable');
      return reply.code(503).header('retry-after', '30').send({ statusCode: 503, error: 'Service Unavailable', message });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = String(request.headers['content-type'] ?? '').split(';')[0];
      const expected = request.url.split('?')[0] === '/api/photos' ? 'multipart/form-data with one or more `file` fields' : 'application/json';
      return reply.code(415).send({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: `a ${type || 'body without a Content-Type'} is not accepted here: send ${expected}`,
      });
    }
    const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (statusCode === 500) request.log.error({ err: error, url: request.url }, 'request failed');
    return reply.code(statusCode).send({
      statusCode,
      error: STATUS_NAMES[statusCode] ?? 'Error',
      message: statusCode === 500 ? 'internal error, see the server log' : message,
    });
  });

  await app.register(fastifyCookie);
  await compression(app);
  app.addHook('onResponse', async (request, reply) => {
    // the route's pattern keeps the label set small (one per route, not one per photo id)
    lib.metrics.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  authPlugin(app, lib);
  securityHeaders(app, webRoot, () => mapOrigins(lib.db, lib.settings.dataDir));

  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    // parts: files and fields together (@fastify/multipart's own default, 1,000, would stop an upload first).
    limits: {
      fileSize: lib.settings.maxUploadBytes,
      files: MAX_UPLOAD_FILES,
      fields: MAX_UPLOAD_FILES,
      parts: 2 * MAX_UPLOAD_FILES,
      fieldSize: 1024 * 1024,
    },
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Shoebox API', description: 'Self-hosted photo library with AI', version },
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'shoebox_session', description: 'set by POST /api/auth/login' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'a key from POST /api/api-keys' },
          bearer: { type: 'http', scheme: 'bearer', description: 'the same API key as a bearer token' },
        },
      },
      tags: [
        { name: 'photos', description: 'Upload, list, read and delete photos' },
        { name: 'search', description: 'Keyword, semantic and image search, suggestions' },
        { name: 'people', description: 'Faces and the people they are clustered into' },
        { name: 'albums', description: 'Albums: manual ones, and automatic ones to keep or dismiss' },
        { name: 'categories', description: 'Categories and the tags that map to them' },
        { name: 'create', description: 'Image generation from prompts and photos; what it makes is stored as photos' },
        { name: 'sharing', description: 'Albums shared with users, partners, share links' },
        { name: 'share links', description: "A share link's visitor pages: no account, the link's token" },
        { name: 'system', description: 'Health, statistics, models and maintenance' },
        { name: 'accounts', description: 'Set-up, sign-in, sessions and API keys' },
        { name: 'admin', description: 'Users, roles and quotas (admins only)' },
        { name: 'imports', description: 'Imports from other services (Google Takeout, iCloud) uploaded from the web app' },
        { name: 'uploads', description: 'Resumable uploads (tus) for backups from a phone or a folder, and which files you have already' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  // Prometheus: admins only here (an admin's API key as a bearer token); SHOEBOX_METRICS_PORT serves it apart
  app.get('/metrics', { schema: { hide: true }, config: { access: 'admin' } }, async (_request, reply) => {
    const { contentType, body } = await lib.metrics.render();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });

  authRoutes(app, lib);
  oidcRoutes(app, lib);
  apiKeyRoutes(app, lib);
  adminRoutes(app, lib);
  photoRoutes(app, lib);
  photoEditRoutes(app);
  timelineRoutes(app, lib);
  mapRoutes(app);
  memoryRoutes(app);
  trashRoutes(app, lib);
  searchRoutes(app, lib);
  peopleRoutes(app, lib);
  albumRoutes(app, lib);
  autoAlbumRoutes(app, lib);
  duplicateRoutes(app, lib);
  stackRoutes(app);
  categoryRoutes(app, lib);
  modelRoutes(app, lib);
  // the engines asked in the background: /api/health and uploads read the answers, never wait on an engine
  const engines = new EngineMonitor(lib);
  app.decorate('engines', engines);
  engines.start();
  app.addHook('onClose', async () => engines.stop());
  const size = new LibrarySize(lib.db, lib.database.kind, lib.settings.embeddedComfortablePhotos);
  app.decorate('librarySize', size);
  systemRoutes(app, lib, engines, size);
  jobsRoutes(app, lib);
  await creationToolRoutes(app, lib);
  inPlaceLibraryRoutes(app, lib);
  sharingRoutes(app);
  importRoutes(app, lib);
  uploadRoutes(app, lib);
  exportRoutes(app);
  shareVisitRoutes(app, lib);
  await registerWebApp(app);
  return app;
}

/** What browsers must ask again on every use: the page, the service worker and the manifest, which name the build. */
const ALWAYS_ASKED = /(^|[\\/])(index\.html|sw\.js|manifest\.webmanifest)$/;

/** The built web app (Vite output) with a fallback to index.html for client-side routes. */
async function registerWebApp(app: FastifyInstance): Promise<void> {
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      setHeaders: (response, filePath) => {
        if (ALWAYS_ASKED.test(filePath)) response.header('cache-control', 'no-cache');
      },
    });
  }
  // Share → Shoebox posts here, and the app's service worker answers it in the browser (web/src/sw.ts); a post that
  // reaches the server came from a browser where the app never ran: say so rather than "no route". Another site's
  // form posting here is refused as the worker refuses it
  app.post('/share', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const foreign = foreignSharer(request);
    if (foreign) return reply.code(403).type('text/plain; charset=utf-8').send(`Shoebox refused what was shared: it came from ${foreign}.`);
    return reply
      .code(400)
      .type('text/plain; charset=utf-8')
      .send('Shoebox could not take what was shared: open Shoebox once in this browser (and install it), then share again.');
  });
  app.setNotFoundHandler((request, reply) => {
    // a built file that is not there (another build's) is a 404, never the page: a browser or the service worker
    // would otherwise take HTML for a script and keep it
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/api' && !request.url.startsWith('/assets/');
    if (wantsPage && hasWeb) return reply.type('text/html').sendFile('index.html');
    if (wantsPage) {
      return reply.code(503).type('text/plain').send('The web app is not built: run `npm run build` (npm ci runs it), then restart Shoebox.');
    }
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}

/**
 * The other site whose page posted to /share, or null for the phone's share sheet: the browser sends that post itself
 * (Sec-Fetch-Site none, Origin null or none), which the API's own check (crossSiteProblem) would refuse as opaque.
 */
function foreignSharer(request: FastifyRequest): string | null {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.headers.host ?? ''}`.toLowerCase();
  if (typeof origin === 'string' && origin !== 'null' && origin.toLowerCase() !== own) return origin;
  if (site === 'cross-site' || site === 'same-site') return `a ${site} page`;
  return null;
}
