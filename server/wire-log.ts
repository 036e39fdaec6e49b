// Debug only (WIRE_LOG): appends every raw packet the server receives, and every HTTP
// request line, to a file as JSON lines. Tests read it to prove that nothing a user types
// in the chat ever reaches the server. Synchronous appends keep the file complete and in
// order at any moment a test looks at it; this is not for production traffic.
import { appendFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { RoomServer } from './rooms.ts';

interface RawPacket {
  type: string;
  data?: unknown;
}

interface RawSocket {
  id: string;
  on(event: 'packet', listener: (packet: RawPacket) => void): void;
}

export function attachWireLog(path: string, io: RoomServer, httpServer: HttpServer): void {
  const write = (entry: Record<string, unknown>) => appendFileSync(path, `${JSON.stringify(entry)}\n`);

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
