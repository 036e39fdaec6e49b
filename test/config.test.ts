// Configuration: defaults, every setting from env and from its flag (the flag wins), and
// for every bad value an error that names the setting, so the operator knows what to fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, type Config, type Env } from '../server/config.ts';

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
    logLevel: 'info',
    stunUrls: [],
    turnUrls: [],
    turnTtl: 3600,
    tunnel: false,
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
    TURN_SECRET: 'coturn-secret',
    TURN_TTL: '600',
    TUNNEL: '1',
    TUNNEL_HOST: 'http://127.0.0.1:3300',
    TUNNEL_SUBDOMAIN: 'roomlink-test',
    UNRELATED: 'ignored',
  });
  assert.deepEqual(config, {
    port: 8080,
    host: '127.0.0.1',
    maxRoomSize: 4,
    logLevel: 'debug',
    secret: 'a-long-enough-secret',
    wireLog: '/tmp/wire.jsonl',
    stunUrls: ['stun:stun.example.org:3478', 'stun:[::1]'],
    turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
    turnSecret: 'coturn-secret',
    turnTtl: 600,
    tunnel: true,
    tunnelHost: 'http://127.0.0.1:3300',
    tunnelSubdomain: 'roomlink-test',
  });
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
    [{ TURN_URLS: 'stun:example.org', TURN_SECRET: 's' }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:example.org?transport=sctp', TURN_SECRET: 's' }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:example.org' }, 'TURN_URLS'],
    [{ TURN_TTL: '0' }, 'TURN_TTL'],
    [{ TURN_TTL: 'forever' }, 'TURN_TTL'],
    [{ TURN_SECRET: 's' }, 'TURN_SECRET'],
    [{ TURN_URLS: 'turn:a', TURN_SECRET: 's', TURN_USERNAME: 'u', TURN_CREDENTIAL: 'c' }, 'TURN_SECRET'],
    [{ TURN_URLS: 'turn:a', TURN_USERNAME: 'u' }, 'TURN_CREDENTIAL'],
    [{ TURN_URLS: 'turn:a', TURN_CREDENTIAL: 'c' }, 'TURN_USERNAME'],
    [{ TUNNEL: 'maybe' }, 'TUNNEL'],
    [{ TUNNEL_HOST: 'ftp://example.org' }, 'TUNNEL_HOST'],
    [{ TUNNEL_SUBDOMAIN: 'Not_Valid' }, 'TUNNEL_SUBDOMAIN'],
  ];
  for (const [env, name] of cases) {
    const message = errors(env).join('\n');
    assert.match(message, new RegExp(`\\b${name}\\b`), `${JSON.stringify(env)} → ${message}`);
  }
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
});

test('unknown flags, stray arguments and missing flag values are errors', () => {
  assert.match(errors({}, ['--prot', '3000']).join(), /--prot/);
  assert.ok(errors({}, ['serve']).length > 0);
  assert.ok(errors({}, ['--port']).length > 0);
});

test('--help returns the usage text listing every flag and variable', () => {
  const result = parseConfig({ PORT: 'bad' }, ['--help']);
  assert.equal(result.kind, 'help');
  if (result.kind !== 'help') return;
  for (const word of ['--port', 'PORT', '--max-room-size', 'ROOMLINK_SECRET', '--turn-secret', '--tunnel-subdomain', 'WIRE_LOG']) {
    assert.ok(result.text.includes(word), word);
  }
});
