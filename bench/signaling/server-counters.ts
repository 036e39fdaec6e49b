// A server node's own signal counters, read from its /metrics registry: what it accepted
// and relayed, what it refused, and which connections its guard cut off. The bench sets them beside the bots' counts to tell
// a signal lost before the server from one lost after it.
import type { Registry } from 'prom-client';

async function counterTotal(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const matching = (metric?.values ?? []).filter((v) =>
    Object.entries(labels).every(([key, value]) => v.labels[key] === value),
  );
  return matching.reduce((sum, v) => sum + v.value, 0);
}

/** A counter's totals by the value of one label. */
async function counterBy(registry: Registry, name: string, label: string): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(name)?.get();
  const totals: Record<string, number> = {};
  for (const v of metric?.values ?? []) {
    const key = String(v.labels[label] ?? '');
    totals[key] = (totals[key] ?? 0) + v.value;
  }
  return totals;
}

export interface SignalCounters {
  relayed: number;
  refused: number;
  /** Connections the node's guard cut off, by reason (guard.ts). */
  cut: Record<string, number>;
}

export async function signalCounters(registry: Registry): Promise<SignalCounters> {
  return {
    relayed: await counterTotal(registry, 'roomlink_signals_relayed_total'),
    refused: await counterTotal(registry, 'roomlink_rejected_events_total', { event: 'signal' }),
    cut: await counterBy(registry, 'roomlink_connections_cut_total', 'reason'),
  };
}
