import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { parseS3Url } from '../../src/storage/s3.js';

describe('storage settings', () => {
  it('read an s3:// address and its connection from the environment', () => {
    const { storage } = loadSettings(
      {},
      {
        SHOEBOX_STORAGE: 's3://family-photos/shoebox/',
        SHOEBOX_S3_ENDPOINT: 'http://minio:9000',
        SHOEBOX_S3_FORCE_PATH_STYLE: '1',
        SHOEBOX_S3_ACCESS_KEY_ID: 'id',
        SHOEBOX_S3_SECRET_ACCESS_KEY: 'secret',
        SHOEBOX_S3_PRESIGN_SECONDS: '900',
        AWS_REGION: 'eu-west-3',
      },
    );
    expect(storage).toMatchObject({
      url: 's3://family-photos/shoebox/',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      region: 'eu-west-3',
      presignSeconds: 900,
      cacheMb: 2048,
    });
    expect(parseS3Url(storage.url!)).toEqual({ bucket: 'family-photos', prefix: 'shoebox' });
    expect(parseS3Url('s3://photos')).toEqual({ bucket: 'photos', prefix: '' });
    expect(loadSettings({}, { SHOEBOX_STORAGE: 'local' }).storage.url).toBeUndefined();
  });

  it('refuse a bad bucket name and half a key pair, without echoing the secret', () => {
    expect(() => loadSettings({}, { SHOEBOX_STORAGE: 's3://Bad_Bucket/x' })).toThrow(/storage.url: s3:\/\/bucket\/prefix/);
    expect(() => loadSettings({}, { SHOEBOX_STORAGE: '/mnt/photos' })).toThrow(/storage.url/);
    const halfKey = () => loadSettings({}, { SHOEBOX_STORAGE: 's3://photos', SHOEBOX_S3_SECRET_ACCESS_KEY: 'hunter2-secret' });
    expect(halfKey).toThrow(/go together/);
    expect(halfKey).not.toThrow(/hunter2/);
    expect(() => loadSettings({}, { SHOEBOX_S3_PRESIGN_SECONDS: '-1' })).toThrow(/storage.presignSeconds/);
  });
});

describe('backup settings', () => {
  it('refuse an interval longer than a timer can wait', () => {
    expect(loadSettings({}, { SHOEBOX_BACKUP_DIR: '/tmp/b', SHOEBOX_BACKUP_EVERY_HOURS: '24' }).backupEveryHours).toBe(24);
    expect(() => loadSettings({}, { SHOEBOX_BACKUP_EVERY_HOURS: '1000' })).toThrow(/backupEveryHours/);
  });
});
