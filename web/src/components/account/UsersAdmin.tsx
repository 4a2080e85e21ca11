import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.js';
import { accountApi, type LocationUse, type UserWithUsage } from '../../client/account.js';
import { formatBytes } from '../../lib/format.js';

const message = (caught: unknown) => (caught instanceof ApiError ? caught.message : String(caught));
const GB = 1e9; // decimal, as every size is shown (model/byte-size.ts)

/** A storage location as a select option's value: '' is the main store. */
const locationValue = (name: string | null) => name ?? '';
const locationLabel = (location: LocationUse) => (location.name === null ? 'main store' : location.name) + (location.configured ? '' : ' (not set up)');

/** The admin's part of the account page: every user, their space, role, quota, storage; create, disable, delete. */
export function UsersAdmin({ selfId }: { selfId: string }) {
  const [items, setItems] = useState<UserWithUsage[]>([]);
  const [locations, setLocations] = useState<LocationUse[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'user' as 'admin' | 'user', quotaGb: '', location: '' });
  const load = useCallback(
    () =>
      Promise.all([accountApi.users(), accountApi.storage()]).then(
        ([users, storage]) => {
          setItems(users.items);
          setLocations(storage.items);
        },
        (caught: unknown) => setError(message(caught)),
      ),
    [],
  );
  // only a server with storage locations besides the main one has a choice to offer
  const choosable = locations.filter((location) => location.configured);
  const storageChoice = choosable.length > 1;
  useEffect(() => void load(), [load]);
  const act = (work: Promise<unknown>) =>
    work.then(load).then(
      () => setError(null),
      (caught: unknown) => setError(message(caught)),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const quotaBytes = form.quotaGb ? Math.round(Number(form.quotaGb) * GB) : null;
    void act(
      accountApi
        .createUser({ name: form.name, email: form.email, password: form.password, role: form.role, quotaBytes, storageLocation: form.location || null })
        .then(() => setForm({ name: '', email: '', password: '', role: 'user', quotaGb: '', location: '' })),
    );
  };

  return (
    <section className="card account-section" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <table className="account-users" data-testid="users">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Photos</th>
            <th>Space</th>
            {storageChoice ? <th>Stored in</th> : null}
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              self={user.id === selfId}
              locations={storageChoice ? locations : null}
              act={act}
              onMoving={(moving) => setNotice(moving === 0 ? `All of ${user.name}'s photos are there already.` : `Moving ${moving} photos of ${user.name}…`)}
            />
          ))}
        </tbody>
      </table>
      <form className="account-form" onSubmit={submit} aria-label="New user">
        <label className="auth-field">
          Name
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label className="auth-field">
          Email
          <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label className="auth-field">
          Password
          <input
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <label className="auth-field">
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as 'admin' | 'user' })}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="auth-field">
          Quota (GB, empty: none)
          <input type="number" min="0" step="0.1" value={form.quotaGb} onChange={(e) => setForm({ ...form, quotaGb: e.target.value })} />
        </label>
        {storageChoice ? (
          <label className="auth-field">
            Stored in
            <select value={form.location} onChange={(e) => setForm({ ...form, location: e.target.value })}>
              {choosable.map((location) => (
                <option key={locationValue(location.name)} value={locationValue(location.name)}>
                  {locationLabel(location)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="submit" className="button button-primary">
          Add user
        </button>
      </form>
      {notice ? <p role="status">{notice}</p> : null}
      {error ? (
        <p className="auth-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

interface UserRowProps {
  user: UserWithUsage;
  /** The admin's own row: not disabled nor deleted from here. */
  self: boolean;
  /** The storage locations to choose from, where there is a choice. */
  locations: LocationUse[] | null;
  act: (work: Promise<unknown>) => Promise<void>;
  /** How many photos began moving to the user's location. */
  onMoving: (photos: number) => void;
}

/** One user: name, role, photos, space, where their photos are stored; enable or disable, delete. */
function UserRow({ user, self, locations, act, onMoving }: UserRowProps) {
  return (
    <tr className={user.disabled ? 'muted' : undefined}>
      <td>
        {user.name} <span className="muted">{user.email}</span>
        {user.disabled ? ' (disabled)' : ''}
      </td>
      <td data-label="Role">{user.role}</td>
      <td data-label="Photos">{user.photos}</td>
      <td data-label="Space">
        {formatBytes(user.usedBytes)}
        {user.quotaBytes !== null ? ` of ${formatBytes(user.quotaBytes)}` : ''}
      </td>
      {locations ? (
        <td data-label="Stored in">
          <select
            aria-label={`Where new photos of ${user.name} are stored`}
            value={locationValue(user.storageLocation)}
            onChange={(e) => act(accountApi.updateUser(user.id, { storageLocation: e.target.value || null }))}
          >
            {locations.map((location) => (
              <option key={locationValue(location.name)} value={locationValue(location.name)} disabled={!location.configured}>
                {locationLabel(location)}
              </option>
            ))}
          </select>{' '}
          <button
            type="button"
            className="button button-small"
            title="Copy the photos they already have into this location, then remove them from where they were"
            onClick={() => void act(accountApi.moveUserPhotos(user.id).then((moving) => onMoving(moving.photos)))}
          >
            Move their photos
          </button>
        </td>
      ) : null}
      <td className="account-user-actions">
        {self ? null : (
          <>
            <button type="button" className="button button-small" onClick={() => act(accountApi.updateUser(user.id, { disabled: !user.disabled }))}>
              {user.disabled ? 'Enable' : 'Disable'}
            </button>
            <button
              type="button"
              className="button button-small button-danger-outline"
              onClick={() => {
                if (window.confirm(`Delete ${user.email} and all of their ${user.photos} photos? This cannot be undone.`))
                  void act(accountApi.deleteUser(user.id));
              }}
            >
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
