// Who is asking: a signed-in user (session), a script (API key, limited by its scopes) or, later, a share link.

export const SCOPES = ['read', 'upload', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export type Role = 'admin' | 'user';

export interface Actor {
  via: 'session' | 'api-key';
  userId: string;
  role: Role;
  /** What this request may do: a session may do all its role allows; a key only its scopes. */
  scopes: ReadonlySet<Scope>;
  sessionId?: string;
  apiKeyId?: string;
}

export function sessionActor(user: { id: string; role: string }, sessionId: string): Actor {
  const role = asRole(user.role);
  return { via: 'session', userId: user.id, role, scopes: new Set(role === 'admin' ? SCOPES : SCOPES.filter((s) => s !== 'admin')), sessionId };
}

/** A key's scopes, cut down to what its owner may do today (a demoted admin's key loses `admin`). */
export function apiKeyActor(user: { id: string; role: string }, key: { id: string; scopes: readonly string[] }): Actor {
  const role = asRole(user.role);
  const scopes = SCOPES.filter((scope) => key.scopes.includes(scope) && (scope !== 'admin' || role === 'admin'));
  return { via: 'api-key', userId: user.id, role, scopes: new Set(scopes), apiKeyId: key.id };
}

export function asRole(value: string): Role {
  return value === 'admin' ? 'admin' : 'user';
}
