// Renders deploy/nginx.conf.template for a given listen address and set of nodes, e.g. for a
// test that starts nginx in front of two servers on free ports:
//
//   writeFileSync(`${dir}/nginx.conf`, renderNginxConf({ listen: `127.0.0.1:${port}`, nodes: [a, b] }));
//   spawn('nginx', ['-p', dir, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;']);
import { readFileSync } from 'node:fs';

export interface NginxOptions {
  /** What nginx listens on: "8080" or "127.0.0.1:8080". */
  listen: string | number;
  /** The roomlink nodes: "127.0.0.1:3001" or just a port (then on 127.0.0.1). */
  nodes: ReadonlyArray<string | number>;
  /** After this many failed attempts a node is skipped for failTimeoutSeconds (default 1, 5). */
  maxFails?: number;
  failTimeoutSeconds?: number;
}

const TEMPLATE = new URL('./nginx.conf.template', import.meta.url);
const ADDRESS = /^(?:\d{1,5}|[A-Za-z0-9.-]+:\d{1,5}|\[[0-9A-Fa-f:.]+\]:\d{1,5})$/;

export function renderNginxConf(options: NginxOptions): string {
  const listen = String(options.listen);
  if (!ADDRESS.test(listen)) throw new Error(`bad listen address: ${listen}`);
  if (options.nodes.length === 0) throw new Error('at least one node');
  const servers = options.nodes.map((node) => {
    const address = typeof node === 'number' || /^\d+$/.test(node) ? `127.0.0.1:${node}` : node;
    if (!ADDRESS.test(address)) throw new Error(`bad node address: ${address}`);
    return `    server ${address} weight=10 max_fails=${options.maxFails ?? 1} fail_timeout=${options.failTimeoutSeconds ?? 5}s;`;
  });
  return readFileSync(TEMPLATE, 'utf8')
    .replace('{{LISTEN}}', listen)
    .replace('{{UPSTREAM_SERVERS}}', servers.join('\n'));
}
