// The export from the web app and other clients: the user's photos (all, an album's, or a selection) with their XMP
// sidecars, albums.json and a manifest of checksums, as one ZIP streamed while it is made (library/export/zip.ts).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ExportScope, exportZip, librarySource } from '../library/export/index.js';
import { booleanParam, errorBody } from './schemas.js';

/** The most photos a selection names in the query (the whole library or an album has no limit). */
export const MAX_SELECTED = 500;

const exportQuery = z
  .object({
    all: booleanParam.optional().describe('true (the default without `album` or `ids`): the whole library (every photo of a stack, the archive too)'),
    album: z.uuid({ message: 'album must be an album id (UUID)' }).optional().describe("an album's photos (your own among them)"),
    ids: z
      .string()
      .max(MAX_SELECTED * 37)
      .optional()
      .describe(`chosen photos: their ids, comma-separated (at most ${MAX_SELECTED})`)
      .transform((value, context) => {
        if (value === undefined) return undefined;
        const ids = [
          ...new Set(
            value
              .split(',')
              .map((id) => id.trim())
              .filter(Boolean),
          ),
        ];
        const bad = ids.find((id) => !z.uuid().safeParse(id).success);
        if (bad !== undefined || ids.length === 0 || ids.length > MAX_SELECTED) {
          context.addIssue({
            code: 'custom',
            message: bad !== undefined ? `ids: ${bad.slice(0, 40)} is not a photo id` : `ids: from 1 to ${MAX_SELECTED} photo ids`,
          });
          return z.NEVER;
        }
        return ids;
      }),
    by: z.enum(['date', 'album']).default('date').describe('folders by date (`YYYY/YYYY-MM-DD/`) or by album'),
    takeoutJson: booleanParam.optional().describe('a Google Takeout-style JSON sidecar beside each photo too'),
  })
  .refine((q) => [q.all === true, q.album !== undefined, q.ids !== undefined].filter(Boolean).length <= 1, {
    message: 'say one of what to export: all=true, album=ID or ids=ID,ID…',
  });

/** A safe download name: the day, and the album's or the selection's size. */
function downloadName(scope: ExportScope): string {
  const day = new Date().toISOString().slice(0, 10);
  const what = 'all' in scope ? 'library' : 'album' in scope ? 'album' : `${scope.ids.length}-photos`;
  return `shoebox-${what}-${day}.zip`;
}

export function exportRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/export', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'Your photos out, as a ZIP: originals with XMP sidecars, albums.json and manifest.jsonl (SHA-256 of each file)',
      description:
        'The same files and folders as `shoebox export` (which resumes where it stopped; this download starts again when cut off). ' +
        'Only your own photos: in an album shared with you, the others’ are left out. `failed.jsonl` lists a photo that could not be read.',
      querystring: exportQuery,
      produces: ['application/zip'],
      response: { 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      // `all` is the default: said or not, no album and no ids is the whole library
      const { album, ids, by, takeoutJson } = request.query;
      const scope: ExportScope = album ? { album } : ids ? { ids } : { all: true };
      const source = librarySource(request.lib, scope);
      // what to export, before the answer starts: an album the user may not see is a 404, not a broken ZIP
      const chosen = await source.ids();
      const zip = exportZip({ ...source, ids: async () => chosen }, { layout: by, takeoutJson: takeoutJson === true });
      zip.done.catch((error: unknown) => request.log.error({ err: error }, 'export ZIP cut short'));
      const name = downloadName(scope);
      return (reply as FastifyReply)
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(zip.stream);
    },
  });
}
