// The storage quota as reservations: an upload reserves its bytes before they are kept, under a per-user lock in
// the database, and the photos kept plus the reservations of uploads under way never pass the quota. Checking the
// photos kept alone let twenty uploads at once each see room for itself (16.6 % over with small files, gigabytes
// with large ones); a counter in one process's memory would not see the other servers of a cluster.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { formatBytes } from '../../base/text.js';
import { rows, type Db } from '../../db/connection.js';
import { UserError } from '../../base/errors.js';
import { ownsSql } from '../../scope/rows.js';
import { usedBytes } from '../../auth/users.js';
import type { Library } from '../library.js';

/** A file streams in this far without a reservation (most photos): it is reserved once its bytes are known to be new. */
export const RESERVE_WHILE_STREAMING_PAST = 8 * 1024 * 1024;
/** Reserved ahead of the bytes received while a large file streams in: one round trip per step. */
const STEP = 8 * 1024 * 1024;
/** A reservation counts this long after it was last renewed: one left by a process that died frees itself. */
const LEASE = '10 minutes';
const RENEW_MS = 3 * 60_000;

/** What reading the quota found: for the refusal's message. */
interface Usage {
  quota: number | null;
  used: number;
}

/**
 * One file's reservation against its owner's quota. `grow` while it streams in (past RESERVE_WHILE_STREAMING_PAST),
 * `settle` to its exact size before it is stored, then `claim` it in the transaction that inserts the photo (the
 * bytes move from the reservation to the photo at once); `release` gives back what was not claimed.
 */
export class QuotaReservation {
  readonly id = randomUUID();
  /** Bytes held now. */
  reserved = 0;
  private finished = false;
  private renewal: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly userId: string,
    private readonly filename: string,
  ) {}

  /** Holds `bytes` received so far and a step more; a 413 when even what arrived does not fit. */
  grow(bytes: number): Promise<void> {
    return this.reserve(bytes + STEP, bytes, true);
  }

  /** Holds exactly the file's size; a 413 when it does not fit. */
  settle(bytes: number): Promise<void> {
    return this.reserve(bytes, bytes, false);
  }

  /** In the photo's transaction: the reservation goes as the photo's row arrives. */
  async claim(tx: Pick<Db, 'execute'>): Promise<void> {
    await tx.execute(sql`delete from upload_reservations where id = ${this.id}::uuid`);
  }

  /** After the photo's transaction committed: nothing is left to give back. */
  claimed(): void {
    this.finish();
  }

  /** Gives back what is held (a refused, failed or duplicate file). Never throws: a row left over expires. */
  async release(): Promise<void> {
    if (this.finished) return;
    this.finish();
    if (this.reserved === 0) return;
    await this.db.execute(sql`delete from upload_reservations where id = ${this.id}::uuid`).catch(() => undefined);
  }

  private finish(): void {
    this.finished = true;
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
  }

  /** Takes up to `target` bytes (at least `minimum`) of what the quota leaves, under the user's lock. */
  private async reserve(target: number, minimum: number, streaming: boolean): Promise<void> {
    const outcome = await this.db.transaction(async (tx): Promise<{ granted: number } | { refused: { quota: number; used: number } }> => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`quota:${this.userId}`}))`);
      await tx.execute(sql`delete from upload_reservations where user_id = ${this.userId}::uuid and expires_at <= now()`);
      const [usage] = await rows<Usage>(
        tx as unknown as Db,
        sql`select (select quota_bytes from users where id = ${this.userId}::uuid)::float8 as quota,
              (select coalesce(sum(size_bytes), 0) from photos where ${ownsSql(this.userId, 'photos')} and library_id is null)::float8
              + (select coalesce(sum(bytes), 0) from upload_reservations where user_id = ${this.userId}::uuid and id <> ${this.id}::uuid)::float8 as used`,
      );
      const quota = usage?.quota ?? null;
      const used = Number(usage?.used ?? 0);
      const granted = quota === null ? target : Math.min(target, quota - used);
      if (granted < minimum) return { refused: { quota: quota!, used } };
      await tx.execute(sql`insert into upload_reservations (id, user_id, bytes, expires_at)
        values (${this.id}::uuid, ${this.userId}::uuid, ${granted}, now() + ${LEASE}::interval)
        on conflict (id) do update set bytes = excluded.bytes, expires_at = excluded.expires_at`);
      return { granted };
    });
    if ('refused' in outcome) {
      const { quota, used } = outcome.refused;
      throw new UserError(
        'too-large',
        `${this.filename}: over your storage quota (${formatBytes(used)} of ${formatBytes(quota)} used or being uploaded, ` +
          `this file is ${formatBytes(minimum)}${streaming ? ' so far' : ''}): ask an admin for more`,
      );
    }
    this.reserved = outcome.granted;
    if (!this.renewal && !this.finished) {
      // a large upload may take longer than the lease between two steps
      this.renewal = setInterval(() => {
        void this.db.execute(sql`update upload_reservations set expires_at = now() + ${LEASE}::interval where id = ${this.id}::uuid`).catch(() => undefined);
      }, RENEW_MS);
      this.renewal.unref();
    }
  }
}

/** Removes the reservations whose lease ran out (their upload's process died): answers how many. */
export async function removeExpiredReservations(db: Db): Promise<number> {
  return (await rows<{ id: string }>(db, sql`delete from upload_reservations where expires_at <= now() returning id`)).length;
}

/** The user's storage quota (null: none) and the bytes of originals they keep, for what an import may stage. */
export async function ownQuota(lib: Library): Promise<{ quota: number | null; used: number }> {
  const [row] = await rows<{ quota: number | null }>(lib.db, sql`select quota_bytes::float8 as quota from users where id = ${lib.ownerId}::uuid`);
  return { quota: row?.quota ?? null, used: await usedBytes(lib.db, lib.ownerId) };
}
