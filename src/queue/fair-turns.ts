// Turns by share (an owner) for a BullMQ queue's background jobs, the turns the in-process FairQueue takes
// (pipeline/fair-queue.ts): start-time fair queuing. Each job gets a tag, max(V, the share's last tag + 1), where V is
// the tag of the latest job started, and BullMQ takes the lowest first (ties in the order they were added). So a
// share that had nothing waiting starts beside the job running now, and a backlog goes on one job a round; a share's
// own jobs keep the order they came in. Tags are given and V moved by Lua scripts: atomic for any number of servers
// adding and workers taking at once.
//
// BullMQ's priorities end at 2^21 - 1 while tags grow for ever, so a job's priority is its tag less a base, and the
// base moves up to just below V whenever nothing of the queue holds a priority (its prioritized, delayed and running
// sets empty: the lane has drained). Between drains the priorities of 2^21 tags fit; beyond, jobs wait as the last,
// in the order they came. A job lost from Redis holds no base back (the sets are BullMQ's own), and a share's last
// tag is kept only while it is not behind V, so the keys are three per queue, the last tags one per share at most.
import type { Redis } from 'ioredis';

/** Where a queue keeps what its turns read: BullMQ's sets of jobs, and each job's hash by its id. */
export interface TurnKeys {
  prioritized: string;
  delayed: string;
  active: string;
  job(id: string): string;
}

/** A job's turn: its tag, and the priority it was given against the base of the moment. */
export interface Turn {
  tag: number;
  priority: number;
  base: number;
}

/**
 * KEYS: V, base, the shares' last tags (a sorted set), the job's hash, prioritized, delayed, active.
 * ARGV: the share, the highest priority. Nothing when the job is waiting or running already (its turn stands).
 */
const TAKE_TURN = `
if redis.call('exists', KEYS[4]) == 1 then return false end
local v = tonumber(redis.call('get', KEYS[1]) or '0')
local base = tonumber(redis.call('get', KEYS[2]) or '0')
if base ~= v - 1 and redis.call('zcard', KEYS[5]) == 0 and redis.call('zcard', KEYS[6]) == 0 and redis.call('llen', KEYS[7]) == 0 then
  base = v - 1
  redis.call('set', KEYS[2], base)
end
local tag = math.max(v, tonumber(redis.call('zscore', KEYS[3], ARGV[1]) or '-1') + 1)
redis.call('zadd', KEYS[3], tag, ARGV[1])
return {tag, math.max(1, math.min(tag - base, tonumber(ARGV[2]))), base}`;

/**
 * KEYS: V, the shares' last tags. ARGV: the tag of a job started. V moves up to it; a share whose last tag is behind
 * V would start at V anyway, so it is forgotten (the set holds only shares with jobs at V or beyond).
 */
const STARTED = `
local v = math.max(tonumber(ARGV[1]), tonumber(redis.call('get', KEYS[1]) or '0'))
redis.call('set', KEYS[1], v)
redis.call('zremrangebyscore', KEYS[2], '-inf', '(' .. v)
return 0`;

export class FairTurns {
  private readonly vKey: string;
  private readonly baseKey: string;
  private readonly lastKey: string;

  constructor(
    private readonly redis: Redis,
    /** The prefix of this queue's keys of turns (three in all). */
    prefix: string,
    private readonly keys: TurnKeys,
    /** The highest priority BullMQ takes. */
    private readonly limit: number,
  ) {
    this.vKey = `${prefix}v`;
    this.baseKey = `${prefix}base`;
    this.lastKey = `${prefix}last`;
  }

  /** The next turn of the share's, for a job about to be added; null when the job is in the queue already. */
  async take(jobId: string, share: string): Promise<Turn | null> {
    const { prioritized, delayed, active } = this.keys;
    const answer = (await this.redis.eval(
      TAKE_TURN,
      7,
      this.vKey,
      this.baseKey,
      this.lastKey,
      this.keys.job(jobId),
      prioritized,
      delayed,
      active,
      share,
      this.limit,
    )) as [number, number, number] | null;
    return answer ? { tag: answer[0], priority: answer[1], base: answer[2] } : null;
  }

  /**
   * The priority the turn's job should have now, when the base moved while it was being added (the lane drained
   * between its turn and its add); null when its priority stands. Asked after the add: from then on its job holds
   * the base where it is.
   */
  async priorityIfRebased(turn: Turn): Promise<number | null> {
    const base = Number((await this.redis.get(this.baseKey)) ?? 0);
    return base === turn.base ? null : Math.max(1, Math.min(turn.tag - base, this.limit));
  }

  /** A worker started the job of this tag. */
  async started(tag: number): Promise<void> {
    await this.redis.eval(STARTED, 2, this.vKey, this.lastKey, tag);
  }
}
