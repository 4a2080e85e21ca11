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

describe('storage locations', () => {
  const main = {
    SHOEBOX_STORAGE: 's3://family/shoebox',
    SHOEBOX_S3_ENDPOINT: 'http://minio:9000',
    SHOEBOX_S3_FORCE_PATH_STYLE: '1',
    SHOEBOX_S3_ACCESS_KEY_ID: 'main-id',
    SHOEBOX_S3_SECRET_ACCESS_KEY: 'main-secret',
  };

  it('read each named location, inheriting what it does not set from the main store', () => {
    const { storageLocations } = loadSettings(
      {},
      {
        ...main,
        SHOEBOX_STORAGE_LOCATIONS: 'shop-a, shop-b,archive',
        SHOEBOX_STORAGE_SHOP_A: 's3://shop-a/photos',
        SHOEBOX_STORAGE_SHOP_B: 's3://shop-b',
        SHOEBOX_S3_SHOP_B_ENDPOINT: 'https://r2.example.com',
        SHOEBOX_S3_SHOP_B_FORCE_PATH_STYLE: 'false',
        SHOEBOX_S3_SHOP_B_ACCESS_KEY_ID: 'b-id',
        SHOEBOX_S3_SHOP_B_SECRET_ACCESS_KEY: 'b-secret',
        SHOEBOX_S3_SHOP_B_REGION: 'auto',
        SHOEBOX_STORAGE_ARCHIVE: '/mnt/archive/shoebox',
      },
    );
    expect(Object.keys(storageLocations).sort()).toEqual(['archive', 'shop-a', 'shop-b']);
    expect(storageLocations['shop-a']).toMatchObject({
      url: 's3://shop-a/photos',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      accessKeyId: 'main-id',
      secretAccessKey: 'main-secret',
    });
    expect(storageLocations['shop-b']).toMatchObject({
      url: 's3://shop-b',
      endpoint: 'https://r2.example.com',
      forcePathStyle: false,
      region: 'auto',
      accessKeyId: 'b-id',
      secretAccessKey: 'b-secret',
    });
    expect(storageLocations.archive!.url).toBe('/mnt/archive/shoebox');
    expect(loadSettings({}, main).storageLocations).toEqual({});
  });

  it('refuse a location without an address, a bad name or address, and half a key pair, without echoing secrets', () => {
    expect(() => loadSettings({}, { SHOEBOX_STORAGE_LOCATIONS: 'shop-a' })).toThrow(/names shop-a, but SHOEBOX_STORAGE_SHOP_A .* is not set/);
    expect(() => loadSettings({}, { SHOEBOX_STORAGE_LOCATIONS: 'Shop_A', SHOEBOX_STORAGE_SHOP_A: 's3://a' })).toThrow(/lower-case letters/);
    expect(() => loadSettings({}, { SHOEBOX_STORAGE_LOCATIONS: 'default', SHOEBOX_STORAGE_DEFAULT: 's3://abc' })).toThrow(/reserved/);
    expect(() => loadSettings({}, { SHOEBOX_STORAGE_LOCATIONS: 'a', SHOEBOX_STORAGE_A: 'relative/folder' })).toThrow(/storageLocations.a.url/);
    const half = () =>
      loadSettings({}, { ...main, SHOEBOX_STORAGE_LOCATIONS: 'b', SHOEBOX_STORAGE_B: 's3://bbb', SHOEBOX_S3_B_SECRET_ACCESS_KEY: 'hunter2-secret' });
    expect(half).toThrow(/SHOEBOX_S3_B_ACCESS_KEY_ID and SHOEBOX_S3_B_SECRET_ACCESS_KEY go together/);
    expect(half).not.toThrow(/hunter2/);
  });
});

describe('backup settings', () => {
  it('refuse an interval longer than a timer can wait', () => {
    expect(loadSettings({}, { SHOEBOX_BACKUP_DIR: '/tmp/b', SHOEBOX_BACKUP_EVERY_HOURS: '24' }).backupEveryHours).toBe(24);
    expect(() => loadSettings({}, { SHOEBOX_BACKUP_EVERY_HOURS: '1000' })).toThrow(/backupEveryHours/);
  });
});
