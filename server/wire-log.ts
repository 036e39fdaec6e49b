// Debug only (WIRE_LOG): appends every raw packet the server receives, and every HTTP
// request line, to a file as JSON lines. Tests read it to prove that nothing a user types
// in the chat ever reaches the server. Synchronous appends keep the file complete and in
// order at any moment a test looks at it; this is not for production traffic.
//
// The file is opened once, at start: a path that cannot be written is a configuration error
// (checkWireLog, for server.ts), not a crash at the first request. A write that fails later
// (a full disk) is logged once and ends the wire log; the server goes on serving.
import { appendFileSync, closeSync, openSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from './logger.ts';
import type { RoomServer } from './rooms.ts';

interface RawPacket {
  type: string;
  data?: unknown;
}

interface RawSocket {
  id: string;
  on(event: 'packet', listener: (packet: RawPacket) => void): void;
}

/** Opens `path` for appending (creating it), or throws an Error whose message names WIRE_LOG. */
function openForAppend(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`WIRE_LOG: cannot open ${JSON.stringify(path)} for appending (${reason})`);
  }
}

/** null when `path` can be appended to (it is created if missing), else why not, naming WIRE_LOG. */
export function checkWireLog(path: string): string | null {
  try {
    closeSync(openForAppend(path));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function attachWireLog(path: string, io: RoomServer, httpServer: HttpServer, logger: Logger): void {
  let fd: number | undefined = openForAppend(path);
  const stop = () => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // closing a descriptor that failed: nothing more to do with it
    }
    fd = undefined;
  };
  const write = (entry: Record<string, unknown>) => {
    if (fd === undefined) return;
    try {
      appendFileSync(fd, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      logger.error({ err: error, path }, 'WIRE_LOG: write failed; wire logging stopped');
      stop();
    }
  };
  httpServer.once('close', stop);

  httpServer.on('request', (req) => {
    write({ t: Date.now(), type: 'http', method: req.method, url: req.url });
  });
  httpServer.on('upgrade', (req) => {
    write({ t: Date.now(), type: 'upgrade', method: req.method, url: req.url });
  });

  io.engine.on('connection', (raw: RawSocket) => {
    raw.on('packet', (packet) => {
      const data = Buffer.isBuffer(packet.data) ? { base64: packet.data.toString('base64') } : packet.data;
      write({ t: Date.now(), sid: raw.id, type: packet.type, data });
    });
  });
}
