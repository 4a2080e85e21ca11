import fs from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { s3Client } from '../../src/storage/s3.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';
import { assets, authFetch, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

// A library whose files live in an S3 bucket (SHOEBOX_STORAGE=s3://…): the same upload, pipeline, serving and
// deletion as on the data folder, through the AWS SDK over real HTTP to an S3-protocol server (s3rver).
describe('a library on S3 object storage', () => {
  let s3: S3Server;
  let server: TestServer;
  const prefix = 'family';

  beforeAll(async () => {
    s3 = await startS3Server();
    const env = s3.env(prefix);
    server = await startTestServer(
      withoutFacesOrText({
        storage: {
          url: env.SHOEBOX_STORAGE,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
        stepRetrySeconds: 1,
      }),
    );
  });
  afterAll(async () => {
    await server?.dispose();
    await s3?.stop();
  });

  const objects = async () => {
    const client = s3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
    client.destroy();
    return (listed.Contents ?? []).map((object) => object.Key!.slice(prefix.length + 1));
  };
  const photoSteps = async (ids: string[]) =>
    rows<{ step: string; status: string; attempts: number; error: string | null }>(
      server.lib.db,
      sql`select step, status, attempts, error from photo_steps where photo_id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
    );

  it('stores originals and renditions in the bucket, serves them with ranges, and removes them with the photo', async () => {
    const file = path.join(assets, 'formats/jpg/el_torcal_rocks.jpg');
    const bytes = fs.readFileSync(file);
    const { status, body } = await upload(server.url, [{ path: file }]);
    expect(status).toBe(201);
    const id = body.items[0].id as string;
    expect((await waitForTerminal(server.url, [id]))[id]).toBe('completed');
    const stored = await objects();
    const originalKey = stored.find((key) => key.startsWith('originals/'))!;
    expect(stored.some((key) => key.startsWith('originals/') && key.endsWith('.jpg'))).toBe(true);
    expect(stored).toContain(`derived/${id.slice(0, 2)}/${id}/thumbnail.webp`);
    expect(stored).toContain(`derived/${id.slice(0, 2)}/${id}/preview.jpg`);
    expect(fs.readdirSync(server.dataDir)).not.toContain('originals'); // nothing on the local disk

    const whole = await authFetch(`${server.url}/api/photos/${id}/original`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const ranged = await authFetch(`${server.url}/api/photos/${id}/original`, { headers: { range: 'bytes=-100' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes ${bytes.length - 100}-${bytes.length - 1}/${bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(bytes.length - 100))).toBe(true);
    expect((await authFetch(`${server.url}/api/photos/${id}/thumbnail`)).status).toBe(200);

    expect((await authFetch(`${server.url}/api/photos/${id}?force=true`, { method: 'DELETE' })).status).toBe(204);
    const left = await objects();
    expect(left.filter((key) => key.includes(id) || key === originalKey)).toEqual([]);
  });

  it('fails the steps that need the store while it is down, says why, and finishes them when it is back', async () => {
    const files = ['metadata/gps-position/thompson-springs.jpg', 'formats/png/density_plot.png'].map((f) => ({ path: path.join(assets, f) }));
    const { body } = await upload(server.url, files);
    const ids = body.items.map((item: { id: string }) => item.id as string);
    await s3.kill();
    let reasons: string[] = [];
    try {
      // the pipeline meets the outage: a step fails with the reason and a time to try again
      const deadline = Date.now() + 20_000;
      while (reasons.length === 0 && Date.now() < deadline) {
        reasons = (await photoSteps(ids)).flatMap((step) => (step.error && step.status === 'failed' ? [step.error] : []));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(reasons[0]).toMatch(/object storage unavailable \(ECONNREFUSED\).*trying again in \d+ s \(try 1 of 8\)/);
      const original = await authFetch(`${server.url}/api/photos/${ids[0]}/original`);
      expect(original.status).toBe(503);
      expect((await original.json()).message).toMatch(/object storage unavailable/);
      const refused = await upload(server.url, [
        {
          path: path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'),
          name: 'later.jpg',
          data: Buffer.concat([fs.readFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg')), Buffer.from('x')]),
        },
      ]);
      expect(refused.status).toBe(503);
      // refused whole before its body is read once the health probes have seen the store go (the answer names it
      // and since when), or file by file when the store failed under the upload first
      const reason: string = refused.body.items?.[0]?.error ?? refused.body.message;
      expect(reason).toMatch(/object storage unavailable|the file storage is down since/);
    } finally {
      await s3.start();
    }
    const states = await waitForTerminal(server.url, ids, 60_000);
    expect(
      Object.values(states).every((state) => state === 'completed'),
      JSON.stringify([states, await photoSteps(ids)]),
    ).toBe(true);
    const steps = await photoSteps(ids);
    expect(steps.filter((step) => step.status !== 'done' && step.status !== 'skipped')).toEqual([]);
    expect(Math.max(...steps.map((step) => step.attempts))).toBeGreaterThan(1); // tried again, not lost
    for (const id of ids) expect((await authFetch(`${server.url}/api/photos/${id}/thumbnail`)).status).toBe(200);
  }, 90_000);

  it('redirects originals to presigned links when asked to, after the same access check', async () => {
    const presigning = await startTestServer(
      withoutFacesOrText({
        storage: {
          url: `s3://${s3.bucket}/links`,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
          presignSeconds: 600,
        },
      }),
    );
    try {
      const file = path.join(assets, 'formats/png/density_plot.png');
      const { body } = await upload(presigning.url, [{ path: file }]);
      const id = body.items[0].id as string;
      const redirect = await authFetch(`${presigning.url}/api/photos/${id}/original?download=true`, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      const location = redirect.headers.get('location')!;
      expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/links/originals/`)).toBe(true);
      expect(location).toMatch(/X-Amz-Expires=600/);
      const followed = await fetch(location);
      expect(followed.headers.get('content-disposition')).toMatch(/^attachment; filename="density_plot.png"/);
      expect(Buffer.from(await followed.arrayBuffer()).equals(fs.readFileSync(file))).toBe(true);
      const anonymous = await authFetch(`${presigning.url}/api/photos/${id}/original`, { redirect: 'manual', anonymous: true });
      expect(anonymous.status).toBe(401); // no link without the right to the photo
    } finally {
      await presigning.dispose();
    }
  });
});
