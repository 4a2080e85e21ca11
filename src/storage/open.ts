import path from 'node:path';
import type { StorageSettings } from '../config/settings.js';
import type { BlobStore } from './blob-store.js';
import { LocalFileCache } from './file-cache.js';
import { LocalBlobStore } from './local.js';
import type { S3Connection } from './s3.js';
import type { Scratch } from './scratch.js';

/** The store the settings name: the data folder, or a bucket (checked now, so that a wrong one stops the start). */
export async function openBlobStore(
  settings: StorageSettings,
  dataDir: string,
  scratch: Scratch,
  cacheRoot: string = path.join(dataDir, 'cache'),
): Promise<BlobStore> {
  if (!settings.url) return new LocalBlobStore(dataDir, scratch);
  // the AWS SDK is loaded only where a bucket is used
  const { parseS3Url, s3Client, S3BlobStore } = await import('./s3.js');
  const connection: S3Connection = {
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
  };
  const client = s3Client(connection);
  const presignClient = settings.publicEndpoint ? s3Client(connection, settings.publicEndpoint) : client;
  const cache = await LocalFileCache.open(cacheRoot, settings.cacheMb * 1024 * 1024);
  const store = new S3BlobStore(client, parseS3Url(settings.url), cache, presignClient);
  try {
    await store.check();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
