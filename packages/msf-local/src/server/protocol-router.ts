import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/**
 * Cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3) begins with this preface. The AWS SDK for JavaScript's
 * default handler for Kinesis (NodeHttp2Handler) speaks exactly that to an http:// endpoint, while every other
 * client here speaks HTTP/1.1 on the same port: the first bytes of a connection tell them apart.
 */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export interface ProtocolTargets {
  /** Receives the socket, its first bytes put back. */
  http1(socket: Socket): void;
  /** Receives a stream that replays the first bytes, then carries the socket. */
  http2(stream: Duplex): void;
}

/**
 * A connection that has not said which protocol it speaks by then is closed: the HTTP servers' own header
 * timeouts only start once it is handed to them.
 */
const SNIFF_TIMEOUT_MS = 60_000;

/** Reads just enough of a new connection to know its protocol, then hands it on with nothing lost. */
export function routeByProtocol(
  socket: Socket,
  targets: ProtocolTargets,
  sniffTimeoutMs = SNIFF_TIMEOUT_MS,
): void {
  let seen: Buffer = Buffer.alloc(0);
  // A client may reset the connection at any time, before its first byte too (a port probe, a browser's
  // preconnect): that costs it its connection and nothing else. The HTTP servers add their own handlers later.
  socket.on('error', () => socket.destroy());
  const onTimeout = () => socket.destroy();
  socket.setTimeout(sniffTimeoutMs);
  socket.once('timeout', onTimeout);
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, H2_PREFACE.length);
    const http2 = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
    if (http2 && seen.length < H2_PREFACE.length) return; // a prefix of the preface: wait for more
    socket.removeListener('data', onData);
    socket.removeListener('timeout', onTimeout);
    socket.setTimeout(0);
    socket.pause();
    if (http2) {
      targets.http2(replayingStream(socket, seen));
    } else {
      // Node's HTTP/1 server parses what is unshifted back into the socket before reading on.
      socket.unshift(seen);
      targets.http1(socket);
    }
    socket.resume();
  };
  socket.on('data', onData);
}

/**
 * The HTTP/2 session reads from the socket's native handle, which would skip the bytes already read here; a JS
 * stream that first replays them (Node wraps it in its JS stream socket) keeps the connection whole.
 */
function replayingStream(socket: Socket, head: Buffer): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  // The HTTP/2 session reports a broken connection itself (its 'close'); an error left unheard here would be thrown.
  stream.on('error', () => undefined);
  stream.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('error', (error) => stream.destroy(error));
  socket.on('close', () => stream.destroy());
  return stream;
}
