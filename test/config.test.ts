// Configuration: defaults, every setting from env and from its flag (the flag wins), and
// for every bad value an error that names the setting, so the operator knows what to fix.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type Config, DEFAULT_STUN_URL, type Env, parseConfig } from '../server/config.ts';
import { SETTINGS } from '../server/config-settings.ts';

/** A TURN secret long enough to pass: the tests that are not about its length use it. */
const TURN_KEY = 'coturn-secret-0123456789';

function ok(env: Env, argv: string[] = []): Config {
  const result = parseConfig(env, argv);
  assert.equal(result.kind, 'config', result.kind === 'invalid' ? result.errors.join('; ') : result.kind);
  return (result as { config: Config }).config;
}

function errors(env: Env, argv: string[] = []): string[] {
  const result = parseConfig(env, argv);
  assert.equal(result.kind, 'invalid', `accepted ${JSON.stringify({ env, argv })}`);
  return (result as { errors: string[] }).errors;
}

test('defaults with an empty environment', () => {
  assert.deepEqual(ok({}), {
    port: 3000,
    host: '0.0.0.0',
    maxRoomSize: 16,
    maxVideoSenders: 6,
    logLevel: 'info',
    stunUrls: ['stun:stun.l.google.com:19302'],
    turnUrls: [],
    turnTtl: 3600,
    tunnel: false,
    clusterTimeoutMs: 2000,
    shutdownDrainMs: 0,
    seatHoldMs: 10000,
    allowedOrigins: [],
    trustProxy: false,
    rateJoinSocket: { perSecond: 1, burst: 10 },
    rateJoinIp: { perSecond: 10, burst: 100 },
    rateSignalSocket: { perSecond: 50, burst: 200 },
    rateSignalIp: { perSecond: 500, burst: 4000 },
    rateIceSocket: { perSecond: 1, burst: 20 },
    rateIceIp: { perSecond: 20, burst: 200 },
    rateConnectIp: { perSecond: 10, burst: 100 },
  });
});

test('every setting is read from the environment', () => {
  const config = ok({
    PORT: '8080',
    HOST: '127.0.0.1',
    MAX_ROOM_SIZE: '4',
    LOG_LEVEL: 'debug',
    ROOMLINK_SECRET: 'a-long-enough-secret',
    WIRE_LOG: '/tmp/wire.jsonl',
    STUN_URLS: 'stun:stun.example.org:3478, stun:[::1]',
    TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349',
    TURN_SECRET: TURN_KEY,
    TURN_TTL: '600',
    TUNNEL: '1',
    TUNNEL_HOST: 'http://127.0.0.1:3300',
    TUNNEL_SUBDOMAIN: 'roomlink-test',
    REDIS_URL: 'redis://127.0.0.1:6380/0',
    CLUSTER_TIMEOUT_MS: '750',
    SHUTDOWN_DRAIN_MS: '15000',
    SEAT_HOLD_MS: '0',
    ALLOWED_ORIGINS: 'https://Chat.Example.org/, http://localhost:5173',
    TRUST_PROXY: 'loopback, 10.0.0.0/8',
    METRICS_TOKEN: 'scrape-token-123',
    JOIN_RATE_SOCKET: '2/5',
    JOIN_RATE_IP: 'off',
    SIGNAL_RATE_SOCKET: '100/400',
    SIGNAL_RATE_IP: '0.5/10',
    ICE_REFRESH_RATE_SOCKET: '3/6',
    ICE_REFRESH_RATE_IP: '30/300',
    CONNECT_RATE_IP: '5/50',
    MAX_VIDEO_SENDERS: '3',
    UNRELATED: 'ignored',
  });
  assert.deepEqual(config, {
    port: 8080,
    host: '127.0.0.1',
    maxRoomSize: 4,
    maxVideoSenders: 3,
    logLevel: 'debug',
    secret: 'a-long-enough-secret',
    wireLog: '/tmp/wire.jsonl',
    stunUrls: ['stun:stun.example.org:3478', 'stun:[::1]'],
    turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
    turnSecret: TURN_KEY,
    turnTtl: 600,
    tunnel: true,
    tunnelHost: 'http://127.0.0.1:3300',
    tunnelSubdomain: 'roomlink-test',
    redisUrl: 'redis://127.0.0.1:6380/0',
    clusterTimeoutMs: 750,
    shutdownDrainMs: 15000,
    seatHoldMs: 0,
    allowedOrigins: ['https://chat.example.org', 'http://localhost:5173'],
    trustProxy: ['loopback', '10.0.0.0/8'],
    metricsToken: 'scrape-token-123',
    rateJoinSocket: { perSecond: 2, burst: 5 },
    rateJoinIp: null,
    rateSignalSocket: { perSecond: 100, burst: 400 },
    rateSignalIp: { perSecond: 0.5, burst: 10 },
    rateIceSocket: { perSecond: 3, burst: 6 },
    rateIceIp: { perSecond: 30, burst: 300 },
    rateConnectIp: { perSecond: 5, burst: 50 },
  });
});

test('TRUST_PROXY takes booleans and hop counts too; --redis-url and rate flags work', () => {
  assert.equal(ok({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(ok({ TRUST_PROXY: 'off' }).trustProxy, false);
  assert.equal(ok({ TRUST_PROXY: '2' }).trustProxy, 2);
  const config = ok({}, [
    '--redis-url',
    'redis://127.0.0.1:1',
    '--signal-rate-socket',
    '10/20',
    '--allowed-origins',
    '*',
  ]);
  assert.equal(config.redisUrl, 'redis://127.0.0.1:1');
  assert.deepEqual(config.rateSignalSocket, { perSecond: 10, burst: 20 });
  assert.deepEqual(config.allowedOrigins, ['*']);
});

test('TRUST_PROXY 0 is false (off), as for every switch; README and --help both name 0 and true', () => {
  assert.equal(ok({ TRUST_PROXY: '0' }).trustProxy, false);
  assert.equal(ok({ TRUST_PROXY: 'true' }).trustProxy, true);
  // The README said a hop count is 1–99 and named no `true`, while 0 and true were accepted.
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith('| `--trust-proxy`')) ?? '';
  for (const word of ['`false`', '`0`', '`true`', '1–99']) assert.ok(row.includes(word), `${word} in: ${row}`);
  const help = helpRows().find((r) => r.flag === '--trust-proxy')?.meaning ?? '';
  for (const word of ['false or 0', 'true (trust every hop)', '1..99'])
    assert.ok(help.includes(word), `${word} in: ${help}`);
});

test('ALLOWED_ORIGINS * stands alone: beside origins it is an error saying so', () => {
  // `*,https://a.com` allowed every origin, the list meaning nothing, silently.
  for (const [env, argv, name] of [
    [{ ALLOWED_ORIGINS: '*,https://a.com' }, [], 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'https://a.com, *' }, [], 'ALLOWED_ORIGINS'],
    [{}, ['--allowed-origins', 'https://a.com,*'], '--allowed-origins'],
  ] as const) {
    assert.match(
      errors(env, [...argv]).join('\n'),
      new RegExp(`^${name}: \\* allows every origin: give it alone, or list the origins without it`),
    );
  }
  assert.deepEqual(ok({ ALLOWED_ORIGINS: ' * ' }).allowedOrigins, ['*']);
});

test('a rate whose BURST is below its PER_SECOND is an error that says why, and which order they go in', () => {
  // JOIN_RATE_SOCKET=10/1 was accepted: a bucket of one, refusing the second of two joins at once.
  assert.deepEqual(errors({ JOIN_RATE_SOCKET: '10/1' }), [
    'JOIN_RATE_SOCKET: BURST (1) must be at least PER_SECOND (10): a bucket smaller than a second\'s worth refuses what a client sends at once, whatever its rate (the order is PER_SECOND/BURST: did you mean 1/10?) (got "10/1")',
  ]);
  assert.match(
    errors({}, ['--connect-rate-ip', '1.5/1']).join(),
    /^--connect-rate-ip: BURST \(1\) must be at least PER_SECOND \(1\.5\)/,
  );
  assert.deepEqual(ok({ SIGNAL_RATE_SOCKET: '10/10' }).rateSignalSocket, { perSecond: 10, burst: 10 });
  assert.deepEqual(ok({ ICE_REFRESH_RATE_SOCKET: '0.5/1' }).rateIceSocket, { perSecond: 0.5, burst: 1 });
});

test('a negative number after a flag gets its range message, not the parser\'s "ambiguous"', () => {
  assert.deepEqual(errors({}, ['--port', '-1']), ['--port: must be a whole number from 0 to 65535 (got "-1")']);
  assert.deepEqual(errors({}, ['--seat-hold-ms', '-5']), [
    '--seat-hold-ms: must be a whole number from 0 to 60000 (got "-5")',
  ]);
  assert.deepEqual(errors({}, ['--port=-1']), errors({}, ['--port', '-1']));
  // A flag with its value missing is still that.
  assert.match(errors({}, ['--port', '--host', '127.0.0.1']).join(), /--port/);
});

test('TRUST_PROXY addresses and subnets that Express cannot compile are refused, naming TRUST_PROXY', () => {
  // Each passed the old pattern and then threw a proxy-addr stack trace at start.
  for (const bad of ['10.0.0.0/99', '10.0.0.0/0', '999.1.1.1', '1.2.3', ':', '::1.2.3.4', 'loopback, 1.2.3']) {
    const message = errors({ TRUST_PROXY: bad }).join('\n');
    assert.match(message, /^TRUST_PROXY: must be .*\(invalid (?:IP address|range on address)/, `${bad} → ${message}`);
  }
  assert.match(errors({}, ['--trust-proxy', '10.0.0.0/99']).join(), /^--trust-proxy: /);
  for (const good of ['10.0.0.0/32', '::/128', 'fe80::1', '::ffff:10.0.0.1', '192.168.0.1, uniquelocal']) {
    assert.ok(Array.isArray(ok({ TRUST_PROXY: good }).trustProxy), good);
  }
});

test('TRUST_PROXY digits are a hop count up to 99, never an address; in a list they are an error', () => {
  // proxy-addr reads digits as an IPv4 number: these were trusted addresses, silently.
  assert.equal(ok({ TRUST_PROXY: '007' }).trustProxy, 7);
  assert.equal(ok({ TRUST_PROXY: '99' }).trustProxy, 99);
  assert.match(errors({ TRUST_PROXY: '100' }).join('\n'), /^TRUST_PROXY: a hop count must be at most 99/);
  assert.match(errors({}, ['--trust-proxy', '2130706433']).join('\n'), /^--trust-proxy: a hop count/);
  for (const bad of ['1,2', 'loopback, 1', '10.0.0.1,100']) {
    assert.match(errors({ TRUST_PROXY: bad }).join('\n'), /^TRUST_PROXY: must be false, true, a hop count/, bad);
  }
});

test('HOST is an IP address or a host name that listen() can bind, or an error naming HOST', () => {
  for (const good of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'my-host.lan']) {
    assert.equal(ok({ HOST: good }).host, good);
  }
  // Each passed the old pattern and then failed in listen() with an error that named no setting.
  for (const bad of ['[::1]', '999.999.999.999', '1.2.3.4.5', 'host-.lan', '-host']) {
    assert.match(errors({ HOST: bad }).join('\n'), /^HOST: must be an IP address .* or a host name/, bad);
  }
});

test('ports in STUN/TURN URLs, allowed origins and Redis Cluster nodes are from 1 to 65535', () => {
  const cases: Array<[Env, string]> = [
    [{ STUN_URLS: 'stun:stun.example.org:99999' }, 'STUN_URLS'],
    [{ STUN_URLS: 'stun:[::1]:0' }, 'STUN_URLS'],
    [{ TURN_URLS: 'turn:turn.example.org:99999?transport=udp', TURN_SECRET: TURN_KEY }, 'TURN_URLS'],
    [{ ALLOWED_ORIGINS: 'https://x.example:99999' }, 'ALLOWED_ORIGINS'],
    [{ REDIS_CLUSTER_NODES: 'x:99999' }, 'REDIS_CLUSTER_NODES'],
  ];
  for (const [env, name] of cases) {
    const message = errors(env).join('\n');
    assert.match(
      message,
      new RegExp(`^${name}: each port must be from 1 to 65535`),
      `${JSON.stringify(env)} → ${message}`,
    );
  }
  assert.deepEqual(ok({ STUN_URLS: 'stun:a:65535' }).stunUrls, ['stun:a:65535']);
  assert.deepEqual(ok({ REDIS_CLUSTER_NODES: 'a:1' }).redisClusterNodes, ['a:1']);
  assert.deepEqual(ok({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,[::1]:7001,redis-0.example:7002' }).redisClusterNodes, [
    '10.0.0.1:7000',
    '[::1]:7001',
    'redis-0.example:7002',
  ]);
});

test('a STUN or TURN list with no URL in it is an error: only none turns STUN off', () => {
  assert.match(errors({ STUN_URLS: ' , ' }).join('\n'), /^STUN_URLS: must list at least one stun: URL, or be none/);
  assert.match(errors({}, ['--stun-urls', ',']).join('\n'), /^--stun-urls: /);
  assert.match(
    errors({ TURN_URLS: ',', TURN_SECRET: TURN_KEY }).join('\n'),
    /^TURN_URLS: must list at least one turn: URL/,
  );
});

test('an ALLOWED_ORIGINS list with no origin in it is an error, not same origin only', () => {
  assert.match(errors({ ALLOWED_ORIGINS: ' , ' }).join('\n'), /^ALLOWED_ORIGINS: must list at least one origin/);
  assert.match(errors({}, ['--allowed-origins', ',']).join('\n'), /^--allowed-origins: must list at least one origin/);
  assert.deepEqual(ok({ ALLOWED_ORIGINS: '' }).allowedOrigins, [], 'an empty variable is unset');
});

test("a REDIS_CLUSTER_NODES list with no node in it is an error said plainly, not in zod's words", () => {
  assert.match(
    errors({ REDIS_CLUSTER_NODES: ',' }).join('\n'),
    /^REDIS_CLUSTER_NODES: must list at least one node \(host:port\)/,
  );
  assert.match(
    errors({}, ['--redis-cluster-nodes', ' , ']).join('\n'),
    /^--redis-cluster-nodes: must list at least one node/,
  );
});

test("a whole number past any range is refused with the setting's own range", () => {
  const huge = ['99999999999999999999999', '9'.repeat(400)];
  for (const [name, max] of [
    ['PORT', 65535],
    ['MAX_ROOM_SIZE', 256],
    ['TURN_TTL', 604800],
    ['CLUSTER_TIMEOUT_MS', 60000],
    ['SHUTDOWN_DRAIN_MS', 60000],
    ['SEAT_HOLD_MS', 60000],
  ] as const) {
    for (const value of huge) {
      assert.match(errors({ [name]: value }).join('\n'), new RegExp(`^${name}: must be at most ${max} \\(got`), name);
    }
  }
});

test("no setting answers a bad value in zod's own words", () => {
  const odd = ['', ' ', ',', ' , ', 'x', '-1', '1.5', '0', '99999999999999999999999', '9'.repeat(400), ':', 'é'];
  for (const setting of SETTINGS) {
    for (const value of odd) {
      for (const result of [
        parseConfig({ [setting.env]: value }, []),
        parseConfig({}, [`--${setting.flag}=${value}`]),
      ]) {
        if (result.kind !== 'invalid') continue;
        for (const error of result.errors) {
          assert.doesNotMatch(error, /Too (?:big|small)|Invalid input|expected \w+/, `${setting.env}=${value}`);
        }
      }
    }
  }
});

test('allowed origins are kept as browsers send them: lowercase, no default port, no slash', () => {
  assert.deepEqual(
    ok({
      ALLOWED_ORIGINS: 'https://Chat.Example.org:443/, http://a.example:80, http://a.example:443, http://[::1]:5173',
    }).allowedOrigins,
    ['https://chat.example.org', 'http://a.example', 'http://a.example:443', 'http://[::1]:5173'],
  );
});

test('flags override the environment, in both --flag value and --flag=value forms', () => {
  const config = ok(
    { PORT: '8080', MAX_ROOM_SIZE: '4', TURN_URLS: 'turn:a', TURN_USERNAME: 'u', TURN_CREDENTIAL: 'c', TUNNEL: '0' },
    ['--port', '9090', '--max-room-size=8', '--turn-username', 'flaguser', '--tunnel'],
  );
  assert.equal(config.port, 9090);
  assert.equal(config.maxRoomSize, 8);
  assert.equal(config.turnUsername, 'flaguser');
  assert.equal(config.turnCredential, 'c');
  assert.equal(config.tunnel, true);
});

test('the video-sender cap is a whole number from 1 to 256, by variable or flag', () => {
  assert.equal(ok({ MAX_VIDEO_SENDERS: '4' }, ['--max-video-senders=9']).maxVideoSenders, 9);
  for (const bad of ['0', '257', '2.5', 'six'])
    assert.match(errors({ MAX_VIDEO_SENDERS: bad }).join('\n'), /^MAX_VIDEO_SENDERS: /);
});

test('a setting that does nothing without another starts the server with a warning naming both', () => {
  const warningsOf = (env: Env, argv: string[] = []) => {
    const result = parseConfig(env, argv);
    assert.equal(result.kind, 'config');
    return result.kind === 'config' ? result.warnings : [];
  };
  assert.deepEqual(warningsOf({}), []);
  assert.deepEqual(warningsOf({ TUNNEL_HOST: 'https://lt.example.org', TUNNEL_SUBDOMAIN: 'my-room' }), [
    'TUNNEL_HOST (--tunnel-host) is set but TUNNEL (--tunnel) is off: no tunnel is opened',
    'TUNNEL_SUBDOMAIN (--tunnel-subdomain) is set but TUNNEL (--tunnel) is off: no tunnel is opened',
  ]);
  assert.deepEqual(warningsOf({ TUNNEL_HOST: 'https://lt.example.org' }, ['--tunnel']), []);
  assert.match(
    warningsOf({}, ['--turn-ttl', '600']).join(),
    /^TURN_TTL \(--turn-ttl\) does nothing without TURN_SECRET/,
  );
  assert.deepEqual(warningsOf({ TURN_TTL: '600', TURN_SECRET: TURN_KEY, TURN_URLS: 'turn:a' }), []);
  assert.match(
    warningsOf({ CLUSTER_TIMEOUT_MS: '500' }).join(),
    /^CLUSTER_TIMEOUT_MS .* without REDIS_URL or REDIS_CLUSTER_NODES/,
  );
  assert.deepEqual(warningsOf({ CLUSTER_TIMEOUT_MS: '500', REDIS_URL: 'redis://127.0.0.1:1' }), []);
  // Defaults are not "set": an empty variable neither.
  assert.deepEqual(warningsOf({ TUNNEL_HOST: '', TURN_TTL: '' }), []);
});

test('an empty variable counts as unset', () => {
  assert.equal(ok({ PORT: '', STUN_URLS: '' }).port, 3000);
});

test('every bad value gives a message naming its variable', () => {
  const cases: Array<[Env, string]> = [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ HOST: 'not a host' }, 'HOST'],
    [{ MAX_ROOM_SIZE: '1' }, 'MAX_ROOM_SIZE'],
    [{ MAX_ROOM_SIZE: '257' }, 'MAX_ROOM_SIZE'],
    [{ MAX_ROOM_SIZE: 'many' }, 'MAX_ROOM_SIZE'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ ROOMLINK_SECRET: 'short' }, 'ROOMLINK_SECRET'],
    [{ STUN_URLS: 'http://stun.example.org' }, 'STUN_URLS'],
    [{ STUN_URLS: 'turn:example.org' }, 'STUN_URLS'],
    [{ STUN_URLS: 'stun:exa mple.org' }, 'STUN_URLS'],
    [{ TURN_URLS: 'stun:example.org', TURN_SECRET: TURN_KEY }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:example.org?transport=sctp', TURN_SECRET: TURN_KEY }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:example.org' }, 'TURN_URLS'],
    [{ TURN_TTL: '0' }, 'TURN_TTL'],
    [{ TURN_TTL: 'forever' }, 'TURN_TTL'],
    [{ TURN_SECRET: TURN_KEY }, 'TURN_SECRET'],
    [{ TURN_URLS: 'turn:a', TURN_SECRET: TURN_KEY, TURN_USERNAME: 'u', TURN_CREDENTIAL: 'c' }, 'TURN_SECRET'],
    [{ TURN_URLS: 'turn:a', TURN_USERNAME: 'u' }, 'TURN_CREDENTIAL'],
    [{ TURN_URLS: 'turn:a', TURN_CREDENTIAL: 'c' }, 'TURN_USERNAME'],
    [{ TUNNEL: 'maybe' }, 'TUNNEL'],
    [{ TUNNEL_HOST: 'ftp://example.org' }, 'TUNNEL_HOST'],
    [{ TUNNEL_SUBDOMAIN: 'Not_Valid' }, 'TUNNEL_SUBDOMAIN'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    // Past the pattern, but node-redis could not open them: refused here, not thrown at start.
    [{ REDIS_URL: 'redis://localhost:99999' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://[::1' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://localhost:6379/abc' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://user:%zz@localhost' }, 'REDIS_URL'],
    // Past the host:port pattern, but no host: refused here, not retried forever.
    [{ REDIS_CLUSTER_NODES: '[1.2.3]:7000' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_CLUSTER_NODES: '[::::]:7000' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_CLUSTER_NODES: 'a:7000,1.2.3:7000' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_CLUSTER_NODES: '999.1.1.1:7000' }, 'REDIS_CLUSTER_NODES'],
    [{ CLUSTER_TIMEOUT_MS: '10' }, 'CLUSTER_TIMEOUT_MS'],
    [{ ALLOWED_ORIGINS: 'example.org' }, 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'https://example.org/path' }, 'ALLOWED_ORIGINS'],
    // Past the pattern, but no URL: refused with the setting's name, not thrown.
    [{ ALLOWED_ORIGINS: 'http://192.168.1.300:3000' }, 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'http://[::::]' }, 'ALLOWED_ORIGINS'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    // HTTP drops a header value's outer whitespace: such a token could never match.
    [{ METRICS_TOKEN: ' long-enough-token' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: 'long-enough-token\t' }, 'METRICS_TOKEN'],
    // Sent as UTF-8 by curl and scrapers, read as Latin-1: such a token could never match.
    [{ METRICS_TOKEN: 'pässwörd-for-metrics' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: 'token-with\u0000-nul' }, 'METRICS_TOKEN'],
    [{ SIGNAL_RATE_SOCKET: 'fast' }, 'SIGNAL_RATE_SOCKET'],
    [{ SIGNAL_RATE_SOCKET: '50' }, 'SIGNAL_RATE_SOCKET'],
    [{ JOIN_RATE_IP: '0/10' }, 'JOIN_RATE_IP'],
    [{ CONNECT_RATE_IP: '5/0' }, 'CONNECT_RATE_IP'],
  ];
  for (const [env, name] of cases) {
    const message = errors(env).join('\n');
    assert.match(message, new RegExp(`\\b${name}\\b`), `${JSON.stringify(env)} → ${message}`);
  }
});

test('a setting refused by its own check is not judged again with the others', () => {
  // The refused TURN_URLS is left empty: "set but TURN_URLS is empty" was said too, falsely.
  assert.deepEqual(errors({ TURN_URLS: 'turn:a:3478?transport=sctp', TURN_SECRET: TURN_KEY }), [
    'TURN_URLS: each URL must look like turn:host[:port] or turns:host[:port], optionally with ?transport=udp or ?transport=tcp (comma-separated) (got "turn:a:3478?transport=sctp")',
  ]);
  // A TURN_USERNAME of spaces is refused, and is not also "missing" beside its credential.
  assert.deepEqual(
    errors({ TURN_URLS: 'turn:a', TURN_USERNAME: '  ', TURN_CREDENTIAL: 'c' }).map((e) => e.split(':')[0]),
    ['TURN_USERNAME'],
  );
  // What the TURN message offers is accepted.
  assert.deepEqual(
    ok({ TURN_URLS: 'turn:a,turns:a:5349,turn:a?transport=udp,turns:[::1]:5349?transport=tcp', TURN_SECRET: TURN_KEY })
      .turnUrls.length,
    4,
  );
  // A rule whose settings all passed still holds.
  assert.match(errors({ TURN_SECRET: TURN_KEY }).join('\n'), /TURN_URLS \(--turn-urls\) is empty/);
});

test('a bad flag value names the flag', () => {
  assert.match(errors({}, ['--port', 'x']).join(), /--port/);
  assert.match(errors({ PORT: '1' }, ['--max-room-size', '999']).join(), /--max-room-size/);
  assert.match(errors({}, ['--log-level=loud']).join(), /--log-level/);
});

test('all problems are reported at once', () => {
  assert.equal(errors({ PORT: 'x', LOG_LEVEL: 'y', MAX_ROOM_SIZE: '0' }).length, 3);
});

test('secrets are never echoed in error messages', () => {
  const message = errors({ ROOMLINK_SECRET: 'tooshort123', TURN_CREDENTIAL: '' }, ['--turn-secret=']).join();
  assert.doesNotMatch(message, /tooshort123/);
  const redis = errors({ REDIS_URL: 'http://user:hunter2@redis' }).join();
  assert.doesNotMatch(redis, /hunter2/);
  const unusable = errors({ REDIS_URL: 'redis://user:hunter2@localhost:99999' }).join();
  assert.match(unusable, /REDIS_URL/);
  assert.doesNotMatch(unusable, /hunter2/);
});

test('a TURN_SECRET shorter than 16 characters is an error naming it and saying why', () => {
  // Every page gets a credential signed with it: "abc" was found from one in 31 ms.
  for (const [env, argv, name] of [
    [{ TURN_URLS: 'turn:a', TURN_SECRET: 'abc' }, [], 'TURN_SECRET'],
    [{ TURN_URLS: 'turn:a', TURN_SECRET: 'x'.repeat(15) }, [], 'TURN_SECRET'],
    [{ TURN_URLS: 'turn:a' }, ['--turn-secret', 'abc'], '--turn-secret'],
  ] as const) {
    const message = errors(env, [...argv]).join('\n');
    assert.match(
      message,
      new RegExp(`^${name}: must be at least 16 characters: every page gets a credential signed with it`),
    );
    assert.doesNotMatch(message, /abc|x{15}/, 'the secret is not echoed');
  }
  assert.equal(ok({ TURN_URLS: 'turn:a', TURN_SECRET: 'x'.repeat(16) }).turnSecret, 'x'.repeat(16));
});

test('a secret or TURN credential of whitespace only is an error naming it', () => {
  const message = errors({
    ROOMLINK_SECRET: ' '.repeat(16),
    TURN_URLS: 'turn:turn.example.com:3478',
    TURN_USERNAME: '\t',
    TURN_CREDENTIAL: '   ',
  }).join('\n');
  for (const name of ['ROOMLINK_SECRET', 'TURN_USERNAME', 'TURN_CREDENTIAL']) {
    assert.match(message, new RegExp(`${name}.*must not be only whitespace`), name);
  }
  assert.match(
    errors({}, ['--turn-secret', ' '.repeat(16), '--turn-urls', 'turn:t.example.com']).join(),
    /only whitespace/,
  );
  assert.equal(parseConfig({ ROOMLINK_SECRET: ' a secret with spaces ' }, []).kind, 'config');
});

test('unknown flags, stray arguments and missing flag values are errors', () => {
  assert.match(errors({}, ['--prot', '3000']).join(), /--prot/);
  assert.ok(errors({}, ['serve']).length > 0);
  assert.ok(errors({}, ['--port']).length > 0);
});

test('a flag given twice is an error naming it, in either form, not the last one silently', () => {
  assert.deepEqual(errors({}, ['--port', '3000', '--port=4000']), [
    '--port is given more than once: give it once (see --help)',
  ]);
  assert.deepEqual(errors({}, ['--tunnel', '--port', '3000', '--tunnel']), [
    '--tunnel is given more than once: give it once (see --help)',
  ]);
  assert.deepEqual(parseConfig({}, ['--port', '3000', '--host', '127.0.0.1']).kind, 'config');
});

test('--help returns the usage text listing every flag and variable', () => {
  const result = parseConfig({ PORT: 'bad' }, ['--help']);
  assert.equal(result.kind, 'help');
  if (result.kind !== 'help') return;
  for (const word of [
    '--port',
    'PORT',
    '--max-room-size',
    'ROOMLINK_SECRET',
    '--turn-secret',
    '--tunnel-subdomain',
    'WIRE_LOG',
    'REDIS_URL',
    'TRUST_PROXY',
    'ALLOWED_ORIGINS',
    'SIGNAL_RATE_SOCKET',
    'METRICS_TOKEN',
  ]) {
    assert.ok(result.text.includes(word), word);
  }
  // Each setting's range, where it has one, as the checks apply it.
  const lines = result.text.split('\n');
  for (const [flag, range] of Object.entries({
    '--port': '0..65535',
    '--secret': 'at least 16 characters',
    '--turn-secret': 'at least 16 characters',
    '--turn-ttl': '60..604800',
    '--tunnel-subdomain': '4–63 lowercase letters',
    '--cluster-timeout-ms': '50..60000',
    '--trust-proxy': 'a hop count 1..99',
    '--metrics-token': 'at least 8 characters',
  })) {
    const line = lines.find((l) => l.trimStart().startsWith(`${flag} `)) ?? '';
    assert.ok(line.includes(range), `${flag}: ${line}`);
  }
});

/** Each `--flag  VARIABLE  meaning` line of --help: its flag, variable and stated default. */
function helpRows(): Array<{ flag: string; env: string; meaning: string; default?: string }> {
  const result = parseConfig({}, ['--help']);
  assert.equal(result.kind, 'help');
  if (result.kind !== 'help') return [];
  return result.text.split('\n').flatMap((line) => {
    const row = /^\s+--([a-z-]+)(?: <value>)?\s+([A-Z_]+)\s+(.*)$/.exec(line);
    if (row === null) return [];
    const stated = /\(default ([^;,)]+)/.exec(row[3] ?? '')?.[1];
    const meaning = row[3] ?? '';
    return [{ flag: `--${row[1]}`, env: row[2] ?? '', meaning, ...(stated !== undefined && { default: stated }) }];
  });
}

test("the README's Configuration table names every setting, with the default --help states", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Configuration\n'), readme.indexOf('\n## Across networks\n'));
  const documented = new Map<string, string | undefined>();
  /** A range the README's meaning states ("2–256", "50–60,000 ms"), as --help writes it. */
  const ranges = new Map<string, string>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `--'))) {
    const [flags = '', envs = '', defaults = '', meaning = ''] = line.split('|').slice(1, 5);
    const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    const values = defaults.trim().split(/,\s*/);
    const range = /(\d[\d,]*)–(\d[\d,]*)/.exec(meaning);
    names(flags).forEach((flag, i) => {
      documented.set(flag, (values.length > 1 ? values[i] : values[0])?.replaceAll('`', ''));
      if (range) ranges.set(flag, `${range[1]}..${range[2]}`.replaceAll(',', ''));
    });
    assert.equal(names(flags).length, names(envs).length, line);
  }
  const rows = helpRows();
  assert.ok(rows.length > 20, `only ${rows.length} settings read from --help`);
  assert.deepEqual([...documented.keys()].sort(), rows.map((r) => r.flag).sort());
  for (const row of rows) {
    assert.ok(section.includes(`\`${row.env}\``), `${row.env} in the README`);
    const readmeDefault = documented.get(row.flag) ?? '';
    // Where both state a plain value (a number, a rate, a word), they agree.
    if (row.default !== undefined && /^[\w./]+$/.test(readmeDefault)) {
      assert.equal(readmeDefault, row.default, row.flag);
    }
    const range = ranges.get(row.flag);
    if (range !== undefined) {
      const whole = new RegExp(`(?<!\\d)${range.replace('..', '\\.\\.')}(?!\\d)`);
      assert.match(row.meaning, whole, `${row.flag}: ${range}`);
    }
  }
  assert.ok(ranges.size >= 3, `only ${ranges.size} ranges read from the README`);
});

test('REDIS_CLUSTER_NODES is a list of host:port seeds, and is an error together with REDIS_URL', () => {
  assert.deepEqual(ok({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001,' }).redisClusterNodes, [
    '10.0.0.1:7000',
    'redis-b:7001',
  ]);
  assert.deepEqual(ok({}, ['--redis-cluster-nodes', '[::1]:7000']).redisClusterNodes, ['[::1]:7000']);
  for (const bad of ['10.0.0.1', 'redis://a:1', 'a:1,b', ',']) {
    const result = parseConfig({ REDIS_CLUSTER_NODES: bad }, []);
    assert.equal(result.kind, 'invalid', bad);
  }
  const both = parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' }, []);
  assert.ok(both.kind === 'invalid' && both.errors.some((e) => e.includes('mutually exclusive')));
});

test('browsers get a public STUN server by default; none (flag or variable) turns it off', () => {
  assert.deepEqual(ok({}).stunUrls, [DEFAULT_STUN_URL]);
  assert.equal(DEFAULT_STUN_URL, 'stun:stun.l.google.com:19302');
  assert.deepEqual(ok({ STUN_URLS: 'none' }).stunUrls, []);
  assert.deepEqual(ok({ STUN_URLS: ' NONE ' }).stunUrls, []);
  assert.deepEqual(ok({}, ['--stun-urls', 'none']).stunUrls, []);
  assert.deepEqual(ok({ STUN_URLS: 'stun:127.0.0.1:3478' }, ['--stun-urls', 'none']).stunUrls, []);
  assert.deepEqual(ok({ STUN_URLS: 'stun:127.0.0.1:3478' }).stunUrls, ['stun:127.0.0.1:3478']);
  // An empty variable is unset: the default, not "none".
  assert.deepEqual(ok({ STUN_URLS: '' }).stunUrls, [DEFAULT_STUN_URL]);
  assert.ok(errors({ STUN_URLS: 'none,stun:127.0.0.1' }).some((e) => e.startsWith('STUN_URLS')));
});
