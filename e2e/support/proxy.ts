// A small HTTP reverse proxy that breaks one of Socket.IO's transports, as proxies and
// tunnels in the wild do: `--refuse websocket` answers every Upgrade with 502 (long-polling
// must carry signaling), `--refuse polling` answers every Engine.IO long-polling request with
// 502 (WebSocket must). Everything else is forwarded to --target with its Host header intact.
// It runs as its own process inside the test namespace:
//
//   node --import tsx e2e/support/proxy.ts --port 3400 --target 127.0.0.1:3300 --refuse websocket
//
// It prints one line per decision ("forward polling GET", "refuse websocket", ...) so a
// test can tell which transport carried the traffic.

import { createServer, type IncomingMessage, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BareNetns } from './netns.ts';
import { type NetnsProcess, startInNetns } from './process.ts';

export type Refused = 'websocket' | 'polling' | 'nothing';

export interface ProxyOptions {
  readonly port: number;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly refuse: Refused;
}

function transportOf(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://proxy');
  if (!url.pathname.startsWith('/socket.io/')) return 'page';
  return url.searchParams.get('transport') ?? 'socket.io';
}

function refuseRaw(socket: Socket): void {
  socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}

export function runProxy(options: ProxyOptions): Promise<void> {
  const log = (line: string) => console.log(`proxy: ${line}`);
  const server = createServer((req, res) => {
    const transport = transportOf(req);
    if (options.refuse === 'polling' && transport === 'polling') {
      log(`refuse polling ${req.method}`);
      res
        .writeHead(502, { 'content-type': 'text/plain', connection: 'close' })
        .end('long-polling refused by this proxy');
      return;
    }
    if (transport !== 'page') log(`forward ${transport} ${req.method}`);
    const upstream = request(
      { host: options.targetHost, port: options.targetPort, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      log(`upstream error ${error.message}`);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (options.refuse === 'websocket') {
      log('refuse websocket');
      refuseRaw(client);
      return;
    }
    log(`forward ${transportOf(req)} upgrade`);
    const upstream = connect(options.targetPort, options.targetHost, () => {
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      log(`listening on 127.0.0.1:${options.port}, refusing ${options.refuse}`);
      resolve();
    });
  });
}

/** Starts the proxy as a process inside `netns`. */
export async function startProxy(netns: Pick<BareNetns, 'spawn'>, options: ProxyOptions): Promise<NetnsProcess> {
  return startInNetns(netns, {
    label: `proxy refusing ${options.refuse}`,
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--port',
      String(options.port),
      '--target',
      `${options.targetHost}:${options.targetPort}`,
      '--refuse',
      options.refuse,
    ],
    ready: /proxy: listening/,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, target: { type: 'string' }, refuse: { type: 'string' } },
  });
  const [targetHost, targetPort] = (values.target ?? '').split(':');
  const refuse = values.refuse ?? 'nothing';
  if (!targetHost || !targetPort || !values.port || !['websocket', 'polling', 'nothing'].includes(refuse)) {
    console.error('usage: proxy.ts --port N --target HOST:PORT --refuse websocket|polling|nothing');
    process.exit(2);
  }
  await runProxy({ port: Number(values.port), targetHost, targetPort: Number(targetPort), refuse: refuse as Refused });
}
