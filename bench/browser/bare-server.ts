// The bare baseline's server, started inside the benchmark's namespace: serves the bare
// page from BARE_DIR and relays signaling with nothing else — join a Socket.IO room (the
// ack lists who is there), and `signal` to a socket id. No parsing, limits or logging.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Server } from 'socket.io';

const dir = process.env['BARE_DIR'] ?? '.';
const port = Number(process.env['PORT'] ?? '3001');
const files: Record<string, string> = {
  '/': 'index.html',
  '/bare.js': 'bare.js',
  '/calls': 'calls.html',
  '/bare-calls.js': 'bare-calls.js',
};
const types: Record<string, string> = { html: 'text/html', js: 'text/javascript' };
/**
 * The headers that decide how the browser houses the page, as roomlink's own (helmet's
 * defaults and Cross-Origin-Embedder-Policy, server/security.ts: cross-origin isolated, so
 * both pages read the same 5 µs clock). Cross-Origin-Opener-Policy: same-origin makes
 * Chromium put the page in a browsing context group of its own, in a new renderer process,
 * instead of reusing the blank tab's process as it does for a page without it: 0.2 s when
 * idle, up to 2.5 s on this loaded machine (bench/README.md). A real visitor arriving from
 * another site gets a new process either way; without these here only roomlink's pages paid
 * for one.
 */
const processModel = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'origin-agent-cluster': '?1',
};

const http = createServer((req, res) => {
  const file = files[new URL(req.url ?? '/', 'http://x').pathname];
  if (file === undefined) {
    res.writeHead(404).end();
    return;
  }
  readFile(join(dir, file)).then(
    (body) =>
      res
        .writeHead(200, { ...processModel, 'content-type': types[file.split('.').pop() ?? ''] ?? 'text/plain' })
        .end(body),
    () => res.writeHead(500).end(),
  );
});

const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', async (room: string, ack: (peers: string[]) => void) => {
    await socket.join(room);
    const peers = (await io.in(room).fetchSockets()).map((s) => s.id).filter((id) => id !== socket.id);
    ack(peers);
  });
  socket.on('signal', (message: { to: string; data: unknown }) => {
    io.to(message.to).emit('signal', { from: socket.id, data: message.data });
  });
});

http.listen(port, '0.0.0.0', () => console.log(`bare relay listening on ${port}`));
process.once('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
