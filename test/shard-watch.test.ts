// server/shard-watch.ts: a Cluster's shard going down, coming back or failing over is said
// once per change, with its master's address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ShardState } from '../server/cluster.ts';
import { createLogger } from '../server/logger.ts';
import { shardChanges, watchShards } from '../server/shard-watch.ts';

const shards = (entries: Record<string, ShardState>) => new Map(Object.entries(entries));

test('a shard is down once a connection to it is lost, not while a master connects for the first time', () => {
  const none = new Set<string>();
  assert.deepEqual(shardChanges(shards({ a: 'connecting', b: 'up' }), none), [], 'a node starting');
  assert.deepEqual(shardChanges(shards({ a: 'down', b: 'up' }), none), [{ kind: 'down', shard: 'a' }]);
  assert.deepEqual(shardChanges(shards({ a: 'down' }), new Set(['a'])), [], 'said once');
  assert.deepEqual(shardChanges(shards({ a: 'up' }), new Set(['a'])), [{ kind: 'back', shard: 'a' }]);
  assert.deepEqual(
    shardChanges(shards({ c: 'connecting', b: 'up' }), new Set(['a'])),
    [{ kind: 'failed over', shard: 'a' }],
    'its replica promoted at another address: "failed over", and the new master is not "down" while it connects',
  );
});

test('the log says each change once, at warn for a shard down, with the shard’s address', () => {
  const lines: Array<Record<string, unknown>> = [];
  const watch = watchShards(createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) }));
  const said = () => lines.map((line) => `${line['level']} ${line['shard']} ${String(line['msg']).split(':')[0]}`);
  watch.look(shards({ '127.0.0.1:7001': 'up', '127.0.0.1:7002': 'up' }));
  // The whole Cluster down: each shard once, however many looks see it so.
  watch.look(shards({ '127.0.0.1:7001': 'down', '127.0.0.1:7002': 'down' }));
  watch.look(shards({ '127.0.0.1:7001': 'down', '127.0.0.1:7002': 'down' }));
  watch.look(shards({ '127.0.0.1:7001': 'up', '127.0.0.1:7003': 'up' }));
  watch.look(shards({ '127.0.0.1:7001': 'up', '127.0.0.1:7003': 'up' }));
  assert.deepEqual(said(), [
    '40 127.0.0.1:7001 redis shard unreachable',
    '40 127.0.0.1:7002 redis shard unreachable',
    '30 127.0.0.1:7001 redis shard is back',
    '30 127.0.0.1:7002 redis shard failed over',
  ]);
  assert.deepEqual(lines.at(-1)?.['masters'], ['127.0.0.1:7001', '127.0.0.1:7003']);
  // It watches the adapter's connections, not the membership store's: it says what it knows.
  assert.match(
    String(lines[0]?.['msg']),
    /the adapter's connection to it is down, and signals .* between nodes .* are lost/,
  );
  assert.doesNotMatch(String(lines[0]?.['msg']), /served from/);
});
