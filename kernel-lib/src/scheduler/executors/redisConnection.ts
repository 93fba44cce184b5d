import IORedis, { type Redis } from 'ioredis';
import { TsfxError } from '../../errors';

/**
 * A connection to the Redis behind the queues. BullMQ's blocking commands need
 * `maxRetriesPerRequest: null`; a connection that cannot be made fails with one clear line
 * instead of retrying forever.
 */
export async function connectRedis(url: string): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TsfxError(`--redis: not a URL: "${url}" (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TsfxError(`--redis: expected a redis:// URL, got "${url}"`);
  }
  const redis = new IORedis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new TsfxError(`--redis: cannot connect to ${url}: ${(error as Error).message}`);
  }
  await checkRedisConfig(redis, url);
  return redis;
}

/**
 * BullMQ loses jobs when Redis evicts keys under memory pressure, and a Redis restart loses
 * what was not written to its append-only file: both are refused rather than warned about.
 */
async function checkRedisConfig(redis: Redis, url: string): Promise<void> {
  const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const aof = (await redis.config('GET', 'appendonly')) as string[];
  const problems: string[] = [];
  if (policy[1] !== 'noeviction')
    problems.push(`maxmemory-policy is ${policy[1]} (BullMQ needs noeviction)`);
  if (aof[1] !== 'yes')
    problems.push('appendonly is no (queued tasks would not survive a restart)');
  if (problems.length > 0) {
    redis.disconnect();
    throw new TsfxError(`Redis at ${url}: ${problems.join('; ')}`);
  }
}
