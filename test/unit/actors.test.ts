// Views of a library are made for who acts, never by impersonating a user (library/actors.ts).
import { describe, expect, it } from 'vitest';
import { apiKeyActor, sessionActor } from '../../src/auth/actor.js';
import { asWork, forAdminOf, forLinkVisitor, forSystem, forUser, mayChange } from '../../src/library/actors.js';
import { addPhotos } from '../../src/library/albums/manual.js';
import { createImport } from '../../src/library/imports/sessions.js';
import { admitPhoto } from '../../src/library/photos/door.js';
import { updatePhoto, updatePhotos } from '../../src/library/photos/photos.js';
import { stackTogether } from '../../src/library/stacks/manage.js';
import { createLink } from '../../src/library/sharing/links.js';
import { emptyTrash, trashPhotos } from '../../src/library/trash/trash.js';
import type { Resources } from '../../src/library/library.js';

/** A context with its own database handle: views and their cache keys only look at its identity. */
const context = () => ({ db: {} as Resources['db'] }) as Resources;

describe('library views', () => {
  it('says who acts: a user, an admin in another library, a link visitor, named background work', () => {
    const lib = context();
    const alice = sessionActor({ id: 'alice', role: 'user' }, 'session-1');
    expect(forUser(lib, alice)).toMatchObject({ ownerId: 'alice', acting: { kind: 'user', userId: 'alice', role: 'user', via: 'session' } });
    const admin = sessionActor({ id: 'root', role: 'admin' }, 'session-2');
    expect(forAdminOf(lib, admin, 'alice')).toMatchObject({ ownerId: 'alice', acting: { kind: 'admin', adminId: 'root', userId: 'alice' } });
    expect(forLinkVisitor(lib, { id: 'link-1', ownerId: 'alice' })).toMatchObject({ ownerId: 'alice', acting: { kind: 'link', linkId: 'link-1' } });
    expect(forSystem(lib, 'alice', 'memories')).toMatchObject({ ownerId: 'alice', acting: { kind: 'system', work: 'memories' } });
  });

  it("refuses another user's library to anyone but an admin with the admin scope", () => {
    const lib = context();
    expect(() => forAdminOf(lib, sessionActor({ id: 'bob', role: 'user' }, 's'), 'alice')).toThrow(/only an admin/);
    // an admin's key without the admin scope is not an admin here either
    const readOnlyKey = apiKeyActor({ id: 'root', role: 'admin' }, { id: 'key-1', scopes: ['read'] });
    expect(() => forAdminOf(lib, readOnlyKey, 'alice')).toThrow(/only an admin/);
  });

  it("keys an owner's caches once per library and owner, whoever acts, and a view made from a view is the new one's", () => {
    const lib = context();
    const alice = sessionActor({ id: 'alice', role: 'user' }, 's');
    const mine = forUser(lib, alice);
    expect(forSystem(lib, 'alice', 'memories').ownerCache).toBe(mine.ownerCache);
    expect(forUser(lib, alice).ownerCache).toBe(mine.ownerCache); // the next request's view shares the timeline
    expect(forSystem(lib, 'bob', 'memories').ownerCache).not.toBe(mine.ownerCache);
    expect(forSystem(context(), 'alice', 'memories').ownerCache).not.toBe(mine.ownerCache); // another library
    const again = forSystem(mine, 'bob', 'trash expiry');
    expect(again).toMatchObject({ ownerId: 'bob', acting: { kind: 'system', work: 'trash expiry' } });
    expect(again.ownerCache).toBe(forSystem(lib, 'bob', 'memories').ownerCache);
  });

  it('lets a change through only to who may make it, before anything is read or written', async () => {
    const lib = context();
    const alice = sessionActor({ id: 'alice', role: 'user' }, 's');
    const readOnly = forUser(lib, apiKeyActor({ id: 'alice', role: 'user' }, { id: 'key-r', scopes: ['read'] }));
    const uploadOnly = forUser(lib, apiKeyActor({ id: 'alice', role: 'user' }, { id: 'key-u', scopes: ['upload'] }));
    const visitor = forLinkVisitor(lib, { id: 'link-1', ownerId: 'alice' });
    // the database here is an empty object: a refused change never reaches it
    await expect(trashPhotos(readOnly, ['p1'])).rejects.toMatchObject({ kind: 'forbidden', message: 'this API key has no `write` scope' });
    await expect(updatePhotos(uploadOnly, ['p1'], { favorite: true })).rejects.toThrow(/no `write` scope/);
    await expect(addPhotos(visitor, 'album-1', ['p1'])).rejects.toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/share link's visitor/) });
    await expect(createLink(visitor, { photoIds: ['p1'] })).rejects.toThrow(/share link's visitor/);
    await expect(updatePhoto(visitor, 'p1', { favorite: true })).rejects.toThrow(/share link's visitor/);
    await expect(stackTogether(readOnly, ['p1', 'p2'])).rejects.toThrow(/no `write` scope/);
    await expect(emptyTrash(uploadOnly)).rejects.toThrow(/no `write` scope/);
    await expect(createImport(readOnly, 'google-takeout')).rejects.toThrow(/no `upload` scope/);
    await expect(admitPhoto(readOnly, {} as Parameters<typeof admitPhoto>[1])).rejects.toThrow(/no `upload` scope/);
    // who may: a session, a key with the scope, a link's visitor uploading, an admin, named work
    for (const allowed of [forUser(lib, alice), uploadOnly, visitor]) expect(() => mayChange(allowed, 'upload')).not.toThrow();
    for (const allowed of [
      forUser(lib, alice),
      forAdminOf(lib, sessionActor({ id: 'root', role: 'admin' }, 's'), 'alice'),
      forSystem(lib, 'alice', 'memories'),
    ]) {
      expect(() => mayChange(allowed)).not.toThrow();
    }
    // an import an upload-only key started goes on as named work: its albums and favourites are part of it
    expect(() => mayChange(asWork(uploadOnly, 'import'))).not.toThrow();
    expect(asWork(uploadOnly, 'import')).toMatchObject({ ownerId: 'alice', acting: { kind: 'system', work: 'import' } });
  });
});
