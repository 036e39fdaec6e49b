// Entry point: read the configuration, build the server, listen, and shut down cleanly.
import { createApp } from './server/app.ts';
import { parseConfig } from './server/config.ts';
import { createLogger, noticesOf } from './server/logger.ts';
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

// From here on stdout holds log records only, one JSON object a line (pino), so that a log
// shipper or `| jq` reads all of it; what a person starting the node looks for is among
// them, in their messages (noticesOf). What stops the node before it serves goes to stderr
// as plain text, above.
const logger = createLogger(parsed.config.logLevel);
const notices = noticesOf(logger);
const app = createApp(parsed.config, { logger });
const listened = app.listen();
// Before the node says where it listens (listen() logs it): whoever reads that line (an
// operator's script, a test) may stop the node at once, and a signal before its handler
// would kill it without closing. One that comes while it is still starting (waiting for
// Redis) closes it once it listens: closed before, its listen would go on.
let tunnel: ReturnType<typeof startTunnel> | null = null;
const stop = (signal: string) => {
  notices.info({ signal }, `${signal}: shutting down`);
  listened
    .then(() => Promise.all([tunnel?.close(), app.close()]))
    .then(
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
const { port, host } = await listened.catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    `roomlink: cannot listen on ${parsed.config.host}:${parsed.config.port} (${code ?? String(error)}): check HOST and PORT`,
  );
  process.exit(1);
});
// (app.listen() logged where it listens.)
const { stunUrls } = parsed.config;
notices.info(
  { stunUrls },
  stunUrls.length > 0
    ? `STUN for browsers: ${stunUrls.join(', ')} (--stun-urls none turns it off)`
    : 'STUN for browsers: none (links across NATs need TURN)',
);

const { tunnelHost, tunnelSubdomain } = parsed.config;
// Not once it is stopping: the stop closed what there was, a tunnel opened now would stay.
tunnel =
  parsed.config.tunnel && !stopping
    ? startTunnel({
        port,
        listenHost: host,
        ...(tunnelHost === undefined ? {} : { tunnelHost }),
        ...(tunnelSubdomain === undefined ? {} : { subdomain: tunnelSubdomain }),
        print: (line, event) =>
          event.kind === 'open' || event.kind === 'opening'
            ? notices.info({ tunnel: event }, line)
            : notices.warn({ tunnel: event }, line),
      })
    : null;
