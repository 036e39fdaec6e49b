// A server node's own signal counters, read from its /metrics registry: what it accepted
// and relayed, and what it refused. The bench sets them beside the bots' counts to tell
// a signal lost before the server from one lost after it.
import type { Registry } from 'prom-client';

async function counterTotal(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const matching = (metric?.values ?? []).filter((v) =>
    Object.entries(labels).every(([key, value]) => v.labels[key] === value),
  );
  return matching.reduce((sum, v) => sum + v.value, 0);
}

export async function signalCounters(registry: Registry): Promise<{ relayed: number; refused: number }> {
  return {
    relayed: await counterTotal(registry, 'roomlink_signals_relayed_total'),
    refused: await counterTotal(registry, 'roomlink_rejected_events_total', { event: 'signal' }),
  };
}
