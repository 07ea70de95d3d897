// Preloaded (`node --import`) into kinesis-local by msf-local. kinesis-local has no bind-host setting, writes its
// data file in place, and has no way to say when it wrote it; this module fixes all three from the outside:
//  1. every `listen` given a TCP port is pinned to 127.0.0.1 (sockets given by path/handle/fd are left alone),
//     and SIGTERM ends it within 300 ms (its own shutdown waits for clients' keep-alive connections);
//  2. its data file is written to a temp file and renamed over the real one once complete, so a kill at any
//     moment leaves the previous or the new file, never a torn one;
//  3. each completed write is reported to msf-local over the IPC channel, and the end of that channel (msf-local
//     gone, even killed) shuts kinesis-local down.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout } from 'node:timers';

const HOST = '127.0.0.1';

const sockets = new Set();
process.on('SIGTERM', () => {
  for (const socket of sockets) socket.destroy();
  // Its shutdown can still hang on a connection it was serving; nothing is lost by ending it (it never writes its
  // data file on shutdown: msf-local waits for a periodic write first, see kinesis-local.ts).
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300).unref();
});

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  this.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  const first = args[0];
  let options;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog]): the host, if any, is replaced.
    const backlog = args.slice(1).find((arg) => typeof arg === 'number');
    options = { port: Number(first), host: HOST, ...(backlog === undefined ? {} : { backlog }) };
  } else if (first === undefined || first === null) {
    options = { port: 0, host: HOST };
  } else if (
    typeof first === 'object' &&
    first.path === undefined &&
    first.handle === undefined &&
    first.fd === undefined &&
    !('_handle' in first)
  ) {
    options = { ...first, host: HOST };
  } else {
    return originalListen.apply(this, callback ? [...args, callback] : args);
  }
  return callback ? originalListen.call(this, options, callback) : originalListen.call(this, options);
};

const persistFile =
  process.env.SHOULD_PERSIST_DATA === 'true' && process.env.PERSIST_PATH
    ? path.resolve(process.env.PERSIST_PATH, process.env.PERSIST_FILE_NAME || 'kinesis-data.json')
    : undefined;

// Persists completed since msf-local went away (see the end of this file).
let persistsAfterParentGone = -1;

if (persistFile) {
  const originalCreateWriteStream = fs.createWriteStream;
  // kinesis-local (fs2 on Node) writes its data file with fs.createWriteStream, looked up at each call.
  fs.createWriteStream = function createWriteStream(file, options) {
    if (typeof file !== 'string' || path.resolve(file) !== persistFile) {
      return originalCreateWriteStream.call(this, file, options);
    }
    const temp = `${persistFile}.writing`;
    const stream = originalCreateWriteStream.call(this, temp, options);
    // kinesis-local removes every listener of the stream when it is ready: listen only after that.
    stream.once('ready', () => process.nextTick(() => stream.once('close', onClose)));
    const onClose = () => {
      // Destroyed before the end (an error, a cancelled write): keep the previous complete file.
      if (!stream.writableFinished || stream.errored) return;
      try {
        fs.renameSync(temp, persistFile);
      } catch (error) {
        console.error(`msf-local: could not replace ${persistFile}: ${error.message}`);
        return;
      }
      if (process.connected) process.send({ type: 'persisted', at: Date.now() });
      if (persistsAfterParentGone >= 0 && ++persistsAfterParentGone >= 2)
        process.kill(process.pid, 'SIGTERM');
    };
    return stream;
  };
}

if (process.channel) {
  // The channel must not keep this process alive by itself; its end means the parent is gone.
  process.channel.unref();
  process.on('disconnect', () => {
    // As msf-local's stop() does: let two more writes complete (the second one began after this moment, so it
    // holds every change acknowledged so far), then take kinesis-local's own SIGTERM shutdown path.
    if (persistFile) persistsAfterParentGone = 0;
    else process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(0), 15_000).unref();
  });
}
