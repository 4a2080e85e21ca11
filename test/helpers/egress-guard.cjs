// Loaded into a Node process with `--require` in NODE_OPTIONS (unlike `--import`, it also runs in worker threads and
// child Node processes) by the egress test: every socket connection and every DNS query to anything but this
// machine's loopback is written to SHOEBOX_EGRESS_LOG (one JSON line each, with where in the code it came from) and
// refused, so that nothing leaves even while the test finds out.
'use strict';
const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');
const { syncBuiltinESMExports } = require('node:module');

const logFile = process.env.SHOEBOX_EGRESS_LOG;

/** Loopback names and addresses: 127.0.0.0/8, ::1, localhost (and its subdomains, RFC 6761). */
function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default host is localhost
  const name = String(host)
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\./.test(name)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function record(kind, target) {
  const entry = {
    kind,
    target,
    pid: process.pid,
    at: new Error().stack
      ?.split('\n')
      .slice(3, 9)
      .map((line) => line.trim()),
  };
  if (logFile) fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  return new Error(`egress refused: ${kind} ${target} (only loopback is allowed here)`);
}

/** Where a connect() call goes: a unix socket path (local), or a host and port. */
function destination(args) {
  const [first, second] = Array.isArray(args[0]) ? args[0] : args; // net's internal normalised form is [options, cb]
  if (first !== null && typeof first === 'object') {
    if (first.path) return null;
    return { host: first.host ?? first.hostname ?? 'localhost', port: first.port };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof second === 'string' ? second : 'localhost', port: first };
  }
  return null; // a path
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const to = destination(args);
  if (to && !isLoopback(to.host)) {
    const error = record('connect', `${to.host}:${to.port}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

const refusedLookup = (kind) =>
  function guardedLookup(hostname, ...rest) {
    const callback = rest.find((arg) => typeof arg === 'function');
    const error = Object.assign(record(kind, hostname), { code: 'ENOTFOUND', hostname });
    if (callback) process.nextTick(() => callback(error));
    return undefined;
  };

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, ...rest) {
  if (isLoopback(hostname) || net.isIP(hostname)) return lookup.call(this, hostname, ...rest); // IP literals: connect() judges them
  return refusedLookup('dns.lookup')(hostname, ...rest);
};
const promisedLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisedLookup(hostname, ...rest) {
  if (isLoopback(hostname) || net.isIP(hostname)) return promisedLookup.call(this, hostname, ...rest);
  throw Object.assign(record('dns.promises.lookup', hostname), { code: 'ENOTFOUND', hostname });
};
// Every resolver query goes to a name server (never loopback's business here): all refused.
for (const method of Object.keys(dns).filter((name) => /^resolve|^reverse$/.test(name))) dns[method] = refusedLookup(`dns.${method}`);
for (const method of Object.keys(dns.promises).filter((name) => /^resolve|^reverse$/.test(name))) {
  dns.promises[method] = async (hostname) => {
    throw Object.assign(record(`dns.promises.${method}`, hostname), { code: 'ENOTFOUND', hostname });
  };
}
for (const Resolver of [dns.Resolver, dns.promises.Resolver]) {
  for (const method of Object.getOwnPropertyNames(Resolver.prototype).filter((name) => /^resolve|^reverse$/.test(name))) {
    Resolver.prototype[method] =
      Resolver === dns.Resolver
        ? refusedLookup(`Resolver.${method}`)
        : async (hostname) => {
            throw Object.assign(record(`Resolver.${method}`, hostname), { code: 'ENOTFOUND', hostname });
          };
  }
}
// `import { lookup } from 'node:dns'` in the code under test sees the guarded functions too.
syncBuiltinESMExports();
// Which processes and threads ran guarded, so that a test knows the guard was in place where the work happened.
if (logFile) fs.appendFileSync(`${logFile}.guarded`, `${process.pid} ${require('node:worker_threads').isMainThread ? 'main' : 'worker'}\n`);

module.exports = { isLoopback };
