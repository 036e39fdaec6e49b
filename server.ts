// Entry point: read the configuration, build the server, listen, and shut down cleanly.
import { createApp } from './server/app.ts';
import { parseConfig } from './server/config.ts';
import { startTunnel } from './server/tunnel.ts';
import { checkWireLog } from './server/wire-log.ts';

const parsed = parseConfig(process.env, process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(parsed.text);
  process.exit(0);
}
// Settings that name something outside the process (a file) are checked here, once they parse.
const errors =
  parsed.kind === 'invalid'
    ? parsed.errors
    : [parsed.config.wireLog === undefined ? null : checkWireLog(parsed.config.wireLog)].filter((e) => e !== null);
if (parsed.kind === 'invalid' || errors.length > 0) {
  console.error(`roomlink: invalid configuration\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}

for (const warning of parsed.warnings) console.error(`roomlink: warning: ${warning}`);

const app = createApp(parsed.config);
const { port, host } = await app.listen().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    `roomlink: cannot listen on ${parsed.config.host}:${parsed.config.port} (${code ?? String(error)}): check HOST and PORT`,
  );
  process.exit(1);
});
// Before anything is printed: whoever reads "listening" (an operator's script, a test) may
// stop the server at once, and a signal before its handler would kill it without closing.
let tunnel: ReturnType<typeof startTunnel> | null = null;
const stop = (signal: string) => {
  console.log(`roomlink: ${signal}, shutting down`);
  Promise.all([tunnel?.close(), app.close()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
// A second signal, of either kind (SIGTERM, then Ctrl-C), ends the process at once: the
// drain and the close may take a while, and once-handlers let only the same signal through.
let stopping = false;
const onSignal = (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  stop(signal);
};
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));
// A wildcard address is not something to open in a browser; localhost reaches it.
const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
console.log(`roomlink listening on http://${shown}:${port}`);
const { stunUrls } = parsed.config;
console.log(
  stunUrls.length > 0
    ? `STUN for browsers: ${stunUrls.join(', ')} (--stun-urls none turns it off)`
    : 'STUN for browsers: none (links across NATs need TURN)',
);

const { tunnelHost, tunnelSubdomain } = parsed.config;
tunnel = parsed.config.tunnel
  ? startTunnel({
      port,
      listenHost: host,
      ...(tunnelHost === undefined ? {} : { tunnelHost }),
      ...(tunnelSubdomain === undefined ? {} : { subdomain: tunnelSubdomain }),
    })
  : null;
