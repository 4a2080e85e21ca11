import { z } from 'zod';
import { SCOPES } from '../auth/actor.js';
import { MAX_PASSWORD_LENGTH } from '../auth/secrets.js';

export const email = z.email({ message: 'must be an email address' }).max(320);
export const password = z.string().min(1).max(MAX_PASSWORD_LENGTH);
export const personName = z.string().trim().min(1).max(200);
export const role = z.enum(['admin', 'user']);

export const userInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  role,
  disabled: z.boolean(),
  quotaBytes: z.number().nullable().describe('bytes of originals this user may keep; null: no limit'),
  storageLocation: z.string().nullable().describe("the storage location this user's new photos go to (GET /api/admin/storage); null: the main store"),
  generationImagesPerDay: z
    .number()
    .int()
    .nullable()
    .describe("images this user may generate per 24 hours (0: none); null: the server's SHOEBOX_GENERATION_IMAGES_PER_DAY"),
  createdAt: z.string(),
});

export const userWithUsage = userInfo.extend({
  usedBytes: z.number().describe("bytes of this user's originals (the trash included)"),
  photos: z.number().int(),
});

export const me = userInfo.extend({
  usedBytes: z.number(),
  via: z.enum(['session', 'api-key']).describe('how this request signed in'),
  scopes: z.array(z.enum(SCOPES)).describe('what this request may do'),
});

export const sessionInfo = z.object({
  id: z.uuid(),
  userAgent: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean().describe('the session of this request'),
});

export const apiKeyInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('the first characters of the key, to recognise it'),
  scopes: z.array(z.string()),
  kind: z.string().describe("user, or local: the server's own key for the CLI on this machine"),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const scopes = z.array(z.enum(SCOPES)).min(1).max(SCOPES.length);

/** A model the first-run set-up offers to download. */
export const offeredModel = z.object({
  name: z.string(),
  description: z.string(),
  enables: z.array(z.string()),
  sizeBytes: z.number(),
});

export const authStatus = z.object({
  setupRequired: z.boolean(),
  signedIn: z.boolean(),
  singleSignOn: z.object({ enabled: z.boolean(), buttonLabel: z.string() }).describe('sign in at GET /api/auth/oidc/start when enabled'),
  offeredModels: z
    .array(offeredModel)
    .describe('while set-up is required: the models the set-up form offers to download (POST /api/auth/setup installModels); else empty'),
  photosBeforeSetUp: z.number().int().describe("while set-up is required: photos a library from before accounts holds, which become the first admin's; else 0"),
});
