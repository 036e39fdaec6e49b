// A Redis Cluster's shards as this node reaches them, said in its log once per change. One
// Redis going away is said by adapter.ts ('redis unreachable…', 'redis is back…'); a Cluster
// client stays connected while one shard's master is dead, or all of them, and until
// 2026-12-08 a node said nothing when a shard failed over or the whole Cluster was down.
// A shard is named by its master's address (cluster.ts shardStates). Down: a connection to
// it was lost. These are the adapter's connections only (adapter.ts): the membership store
// has its own, not watched here, so the line says what crosses nodes through the adapter,
// not whether the shard's rooms are served from this node's members. Back: up again at the same address. Failed over: its address left the
// client's map while down (a replica promoted elsewhere serves its slots now). A master
// connecting for the first time (a node starting, a promoted replica just found) is neither.
import type { ShardState } from './cluster.ts';
import type { Logger } from './logger.ts';

export type ShardChange =
  | { kind: 'down'; shard: string }
  | { kind: 'back'; shard: string }
  | { kind: 'failed over'; shard: string };

/** What changed, given the shards as they are now and those said to be down (not yet back or failed over). */
export function shardChanges(now: ReadonlyMap<string, ShardState>, down: ReadonlySet<string>): ShardChange[] {
  const changes: ShardChange[] = [];
  for (const [shard, state] of now) {
    if (state === 'down' && !down.has(shard)) changes.push({ kind: 'down', shard });
    if (state === 'up' && down.has(shard)) changes.push({ kind: 'back', shard });
  }
  for (const shard of down) if (!now.has(shard)) changes.push({ kind: 'failed over', shard });
  return changes;
}

export interface ShardWatch {
  /** The shards as they are now: logs what changed since the last look. */
  look(now: ReadonlyMap<string, ShardState>): void;
}

export function watchShards(log: Pick<Logger, 'info' | 'warn'>): ShardWatch {
  const down = new Set<string>();
  return {
    look(now) {
      for (const change of shardChanges(now, down)) {
        const { shard } = change;
        if (change.kind === 'down') {
          down.add(shard);
          log.warn(
            { shard },
            "redis shard unreachable: the adapter's connection to it is down, and signals and room messages between nodes that go through it are lost until it is back or failed over",
          );
        } else if (change.kind === 'back') {
          down.delete(shard);
          log.info({ shard }, 'redis shard is back');
        } else {
          down.delete(shard);
          log.info({ shard, masters: [...now.keys()] }, 'redis shard failed over: another master serves its slots');
        }
      }
    },
  };
}
