'use strict';
// Preloaded (`node --require`) into kinesis-local, which has no bind-host setting and listens on every interface:
// every `listen` given a port (TCP) is pinned to 127.0.0.1. Sockets given by path/handle/fd are left alone.
// It also makes the process exit when msf-local (its parent, joined by an IPC channel) goes away, even if
// msf-local was killed and could not stop it.

const net = require('node:net');

const HOST = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  const first = args[0];
  let options;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog]): the host, if any, is replaced.
    const backlog = args.slice(1).find((arg) => typeof arg === 'number');
    options = { port: Number(first), host: HOST, ...(backlog === undefined ? {} : { backlog }) };
  } else if (first === undefined || first === null) {
    options = { port: 0, host: HOST };
  } else if (typeof first === 'object' && first.path === undefined && first.handle === undefined && first.fd === undefined && !('_handle' in first)) {
    options = { ...first, host: HOST };
  } else {
    return originalListen.apply(this, callback ? [...args, callback] : args);
  }
  return callback ? originalListen.call(this, options, callback) : originalListen.call(this, options);
};

if (process.channel) {
  // The channel must not keep this process alive by itself; its end means the parent is gone.
  process.channel.unref();
  process.on('disconnect', () => {
    // SIGTERM takes kinesis-local's own shutdown path, which writes its persistence file.
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
