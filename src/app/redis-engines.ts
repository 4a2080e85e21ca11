// The cluster's parts that speak to Redis (BullMQ and ioredis), loaded only when REDIS_URL is set: the embedded
// default never loads them, which spares it about a sixth of the server's start-up (some 250 modules).
import type { Redis } from 'ioredis';
import type { BullLaneQueue } from '../pipeline/bull-lane-queue.js';
import type { BullPhotoQueue } from '../queue/bullmq.js';
import type { ClusterSchedule } from '../queue/periodic.js';
import type { onRedisReconnect } from '../queue/reconnect.js';

export interface RedisEngines {
  /** REDIS_URL. */
  url: string;
  BullPhotoQueue: typeof BullPhotoQueue;
  BullLaneQueue: typeof BullLaneQueue;
  ClusterSchedule: typeof ClusterSchedule;
  onRedisReconnect: typeof onRedisReconnect;
  Redis: typeof Redis;
}

export async function loadRedisEngines(url: string): Promise<RedisEngines> {
  const [bullmq, lanes, periodic, reconnect, ioredis] = await Promise.all([
    import('../queue/bullmq.js'),
    import('../pipeline/bull-lane-queue.js'),
    import('../queue/periodic.js'),
    import('../queue/reconnect.js'),
    import('ioredis'),
  ]);
  return {
    url,
    BullPhotoQueue: bullmq.BullPhotoQueue,
    BullLaneQueue: lanes.BullLaneQueue,
    ClusterSchedule: periodic.ClusterSchedule,
    onRedisReconnect: reconnect.onRedisReconnect,
    Redis: ioredis.Redis,
  };
}
