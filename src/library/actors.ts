// Who a library view acts for — never an impersonated user. Every view of a library (what the library's operations
// take) is made here: for a signed-in user or key, for an admin working in another user's library, for a share link's
// visitor, or for named background work. Each carries the owner whose rows it reaches (`ownerId`) and who acts
// (`acting`); caches of the owner's view (timeline, what is shared with them, the map's points, memories) are keyed
// by `ownerCache`, one object per library and owner, so that a user's requests and the work done for them share them.
import type { Actor } from '../auth/actor.js';
import { UserError } from '../base/errors.js';
import type { Db } from '../db/connection.js';
import type { OwnerView } from '../scope/rows.js';
import type { Acting, Library, Resources } from './library.js';

/** Keyed by the library's database handle: one per open library, shared by every view of it. */
const ownerCaches = new WeakMap<Db, Map<string, object>>();

/** The one cache key of (library, owner), whoever acts. */
function ownerCacheOf(db: Db, ownerId: string): object {
  let byOwner = ownerCaches.get(db);
  if (!byOwner) ownerCaches.set(db, (byOwner = new Map()));
  let key = byOwner.get(ownerId);
  if (!key) byOwner.set(ownerId, (key = { ownerId }));
  return key;
}

/** A view of the library (a view given as the context is one too: its owner and actor are replaced, not kept). */
function view(context: Resources, ownerId: string, acting: Acting): Library {
  return { ...context, ownerId, acting, ownerCache: ownerCacheOf(context.db, ownerId) };
}

/** The library as the signed-in actor sees their own (a request's view). */
export function forUser(context: Resources, actor: Actor): Library {
  return view(context, actor.userId, { kind: 'user', userId: actor.userId, role: actor.role, scopes: actor.scopes, via: actor.via });
}

/** Another user's library, for an admin's work in it: refused to anyone else. */
export function forAdminOf(context: Resources, admin: Actor, userId: string): Library {
  if (admin.role !== 'admin' || !admin.scopes.has('admin')) throw new UserError('forbidden', "only an admin may act in another user's library");
  return view(context, userId, { kind: 'admin', adminId: admin.userId, userId });
}

/** What a share link shows of its owner's library, for its visitor. */
export function forLinkVisitor(context: Resources, link: { id: string; ownerId: string }): Library {
  return view(context, link.ownerId, { kind: 'link', linkId: link.id });
}

/** A user's library for background work, named in what it does (logs and errors say it). */
export function forSystem(context: Resources, ownerId: string, work: string): Library {
  return view(context, ownerId, { kind: 'system', work });
}

/**
 * One owner's rows for background work that holds the database alone (a pipeline step, a photo's duplicates, a
 * benchmark): the view scope/ reads, as forSystem's is, without the process's other resources.
 */
export function forSystemRows(db: Db, ownerId: string): OwnerView {
  return { db, ownerId, ownerCache: ownerCacheOf(db, ownerId) };
}

/** The same view inside a transaction: its owner's rows read and written through `tx`. */
export function inTransaction<View extends { readonly db: Db }>(view: View, tx: Db): View {
  return { ...view, db: tx };
}

/** The same owner's library for named work a request started and that goes on without it (an import's run). */
export function asWork(lib: Library, work: string): Library {
  return forSystem(lib, lib.ownerId, work);
}

/**
 * Refuses a change to who may not make it, whatever called: a key without the scope (`upload` for new photos and
 * imports, `write` for the rest), a share link's visitor but for the uploads a link allows. Every operation that
 * changes what a user asked to change opens with it; the routes refuse first (auth/permissions.ts). What the library
 * keeps for itself while reading (a cached timeline, memories computed on a first visit) does not ask.
 */
export function mayChange(lib: Library, needs: 'upload' | 'write' = 'write'): void {
  const { acting } = lib;
  if (acting.kind === 'user' && !acting.scopes.has(needs)) throw new UserError('forbidden', `this API key has no \`${needs}\` scope`);
  if (acting.kind === 'link' && needs !== 'upload')
    throw new UserError('forbidden', "a share link's visitor may look, and upload where the link allows: nothing else");
}
