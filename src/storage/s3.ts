import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  BlobNotFoundError,
  StorageUnavailableError,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type LocalFile,
  type PresignOptions,
} from './blob-store.js';
import type { LocalFileCache } from './file-cache.js';

export interface S3Location {
  bucket: string;
  /** Object names start with it (no slash at either end); empty: the bucket's root. */
  prefix: string;
}

/** `s3://bucket/some/prefix` → its bucket and prefix. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`not an s3:// address: ${url}`);
  return { bucket: match[1]!, prefix: match[2]!.replace(/^\/+|\/+$/g, '') };
}

export interface S3Connection {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Parts of a multipart upload: S3 needs ≥ 5 MiB but the last; 8 MiB × 4 in flight bounds an upload's memory. */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;
const DELETE_BATCH = 1000;

export function s3Client(connection: S3Connection, endpoint: string | undefined = connection.endpoint): S3Client {
  const config: S3ClientConfig = {
    region: connection.region,
    endpoint,
    forcePathStyle: connection.forcePathStyle,
    credentials: connection.credentials,
    // Checksums only where S3 requires them: stores other than AWS (older MinIO, Garage, Ceph, R2) refuse or
    // ignore the SDK's default CRC trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  };
  return new S3Client(config);
}

/**
 * Blobs as objects in an S3-compatible bucket (AWS S3, MinIO, Garage, Ceph, R2), under a prefix. Files go up as
 * multipart uploads streamed from disk; tools that need a path get a copy from a bounded local cache.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';

  constructor(
    private readonly client: S3Client,
    readonly location: S3Location,
    private readonly cache: LocalFileCache,
    private readonly presignClient: S3Client = client,
  ) {}

  /** Checks that the bucket is there and the keys open it: a clear message at start, not at the first upload. */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket }));
    } catch (error) {
      const status = httpStatus(error);
      if (status === 404) throw new Error(`the bucket "${this.location.bucket}" does not exist: create it on the object store first`);
      if (status === 403 || status === 401)
        throw new Error(`the object store refused the keys for bucket "${this.location.bucket}": check SHOEBOX_S3_ACCESS_KEY_ID/SECRET (or AWS_*)`);
      throw storageError(error, `bucket ${this.location.bucket}`);
    }
  }

  private objectKey(key: string): string {
    if (key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
      throw new Error(`storage key escapes the store: ${key}`);
    }
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const Key = this.objectKey(key);
    await this.call(key, () => this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key, Body: data, ContentLength: data.length })));
  }

  async putFile(key: string, file: string, options: { move?: boolean } = {}): Promise<void> {
    const Key = this.objectKey(key);
    await this.call(key, async () => {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.location.bucket, Key, Body: createReadStream(file) },
        partSize: PART_BYTES,
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false, // a failed upload aborts, leaving no parts to pay for
      });
      await upload.done();
    });
    if (options.move) await fs.rm(file, { force: true });
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const Key = this.objectKey(key);
    const response = await this.call(key, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key, Range: range ? `bytes=${range.start}-${range.end}` : undefined })),
    );
    return response.Body as Readable;
  }

  private async head(key: string): Promise<{ size: number; modifiedAt: Date; version: string } | null> {
    const Key = this.objectKey(key);
    try {
      const head = await this.call(key, () => this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key })));
      return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0), version: head.ETag ?? '' };
    } catch (error) {
      if (error instanceof BlobNotFoundError) return null;
      throw error;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    const head = await this.head(key);
    return head && { size: head.size, modifiedAt: head.modifiedAt };
  }

  async remove(key: string): Promise<void> {
    const Key = this.objectKey(key);
    await this.call(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key })));
  }

  /**
   * Lists and deletes until nothing is left (three passes at most): an object written while the first pass ran
   * (a step still working on a deleted photo) goes in the next; one written later is removed by the runner,
   * which finds the photo gone.
   */
  async removePrefix(prefix: string): Promise<void> {
    const Prefix = `${this.objectKey(prefix)}/`;
    for (let pass = 0; pass < 3; pass++) {
      let found = 0;
      let token: string | undefined;
      do {
        const page = await this.call(prefix, () =>
          this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix, ContinuationToken: token, MaxKeys: DELETE_BATCH })),
        );
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
        found += keys.length;
        if (keys.length > 0) {
          const deleted = await this.call(prefix, () =>
            this.client.send(new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects: keys, Quiet: true } })),
          );
          const failed = deleted.Errors ?? [];
          if (failed.length > 0) throw new StorageUnavailableError(`object storage did not delete ${failed.length} files under ${prefix}: ${failed[0]?.Code}`);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      if (found === 0) return;
    }
  }

  async localFile(key: string): Promise<LocalFile> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.head(key);
      if (!head) throw new BlobNotFoundError(key);
      try {
        return await this.cache.lend(key, head.version, (target) => this.download(key, head.version, target));
      } catch (error) {
        // replaced between the look and the download: look again, once
        if (httpStatus(error) !== 412) throw error;
        if (attempt > 0) throw storageError(error, key);
      }
    }
  }

  private async download(key: string, version: string, target: string): Promise<void> {
    const Key = this.objectKey(key);
    await this.call(key, async () => {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key, IfMatch: version || undefined }));
      await pipeline(response.Body as Readable, createWriteStream(target));
    });
  }

  async presignedUrl(key: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.location.bucket,
      Key: this.objectKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.contentDisposition,
    });
    return getSignedUrl(this.presignClient, command, { expiresIn: options.expiresInSeconds });
  }

  async close(): Promise<void> {
    await this.cache.close();
    this.client.destroy();
    if (this.presignClient !== this.client) this.presignClient.destroy();
  }

  /** Runs a request, turning the SDK's errors into the store's: missing, unavailable, or refused with the reason. */
  private async call<T>(key: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const status = httpStatus(error);
      if (status === 404 && errorName(error) !== 'NoSuchBucket') throw new BlobNotFoundError(key);
      if (status === 412) throw error; // for localFile's second look
      throw storageError(error, key);
    }
  }
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function errorName(error: unknown): string {
  return (error as { name?: string; Code?: string })?.Code ?? (error as Error)?.name ?? 'Error';
}

/**
 * The SDK's error as one of the store's, with what went wrong and never a key or a signature: no answer or a
 * server error (5xx, throttling) may pass and is StorageUnavailableError; anything else is the store refusing.
 */
function storageError(error: unknown, key: string): Error {
  const status = httpStatus(error);
  const name = errorName(error);
  const message = (error as Error)?.message ?? String(error);
  if (status === undefined || status >= 500 || status === 429 || name === 'SlowDown' || name === 'TimeoutError') {
    const code = (error as NodeJS.ErrnoException)?.code;
    return new StorageUnavailableError(`object storage unavailable (${code ?? name}${status ? ` ${status}` : ''}): ${message} [${path.posix.basename(key)}]`);
  }
  if (name === 'NoSuchBucket') return new Error(`object storage: the bucket does not exist (${message})`);
  return new Error(`object storage refused the request (${name} ${status}): ${message}`);
}
