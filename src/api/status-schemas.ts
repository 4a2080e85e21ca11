// What the server says of itself: health (engines, ffmpeg), the library's counts per state and step, photos' states.
import { z } from 'zod';
import { HWACCELS } from '../model/video.js';

const stateCounts = z.record(z.string(), z.number().int());

export const healthResult = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean(), kind: z.string(), error: z.string().optional() }),
  queue: z.object({ depth: z.number().int() }),
  photos: stateCounts,
  uptimeSeconds: z.number(),
  version: z.string(),
  engines: z
    .array(
      z.object({
        name: z.enum(['database', 'queue', 'storage']),
        ok: z.boolean(),
        since: z.string().describe('when it last went up or down (ISO time; when the server started if it never did)'),
        error: z.string().nullable().describe('why it is down; details only to a signed-in caller'),
      }),
    )
    .describe('each engine as last probed (every 2 s, in the background): the answer never waits on an engine'),
  video: z
    .object({
      ffmpeg: z.string().nullable().describe("ffmpeg's version as it prints it; null when there is none"),
      source: z.enum(['setting', 'system', 'npm']).nullable().describe("SHOEBOX_FFMPEG, the system's, or the build npm installed"),
      problem: z.string().nullable().describe('why videos get no poster or playable copy (their steps are skipped with it)'),
      hwaccel: z.enum(HWACCELS).describe("the GPU encoder playable copies are asked of (SHOEBOX_VIDEO_HWACCEL); `off`: the CPU's"),
    })
    .optional()
    .describe('which ffmpeg makes posters and playable copies of videos; to a signed-in caller only'),
  embeddedSize: z
    .object({
      photos: z.number().int().describe("the library's photos, every owner's, the trash left out (counted now and then, not per request)"),
      comfortable: z.number().int().describe('the size the embedded database was measured to serve within the targets'),
      message: z.string().describe('what to tell the admin: the figures, what gets slow, the command that moves the library'),
      command: z.string().describe('`shoebox migrate`, as its help spells it'),
      docs: z.string(),
    })
    .nullable()
    .optional()
    .describe(
      'to an admin only: an embedded library past the size its database was measured to serve quickly, with how to move it to PostgreSQL; null within it and on PostgreSQL',
    ),
});

export const statsResult = z.object({
  total: z.number().int(),
  states: stateCounts,
  steps: z.record(
    z.string(),
    z.object({
      pending: z.number().int(),
      running: z.number().int(),
      done: z.number().int(),
      skipped: z.number().int(),
      failed: z.number().int(),
      averageDurationMs: z.number().nullable(),
    }),
  ),
  trashed: z.number().int().describe('photos in the trash (not counted in total, states or steps)'),
  queueDepth: z.number().int(),
});

export const statesBody = z.object({ ids: z.array(z.uuid()).min(1).max(5000) });
export const statesResult = z.object({
  states: z.record(z.string(), z.string()).describe('state per photo id; ids that are not in the library are absent'),
  joined: z
    .record(z.string(), z.string())
    .optional()
    .describe("of the ids absent, a Live Photo's video that joined its still (then no item of its own): the still's id"),
});
