// An S3-protocol server for the tests (s3rver, files on disk): `node s3-server-main.mjs <port> <folder> <bucket>[,<bucket>…]`.
// Prints "ready" once it listens. Run as its own process so that a test can kill it like a store that goes down.
import S3rver from 's3rver';

const [port, directory, buckets] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: buckets.split(',').map((name) => ({ name })),
});
await server.run();
process.stdout.write('ready\n');
