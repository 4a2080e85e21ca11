import { Redis } from 'ioredis';

/**
 * Calls `refill` each time Redis answers again after the connection was lost (a restart, a failover, a wiped
 * instance): the queue only says which photo to look at next, so what Redis lost is put back from the database.
 */
export function onRedisReconnect(redisUrl: string, refill: () => Promise<void>, onError: (error: unknown) => void): { close(): Promise<void> } {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) });
  let connectedBefore = false;
  let running: Promise<void> | null = null;
  redis.on('error', () => undefined); // reconnects by itself; the refill below says when it is back
  redis.on('ready', () => {
    if (!connectedBefore) {
      connectedBefore = true;
      return;
    }
    if (running) return;
    running = refill()
      .catch(onError)
      .finally(() => (running = null));
  });
  return {
    async close() {
      redis.disconnect();
      await running;
    },
  };
}
