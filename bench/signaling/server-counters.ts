// A server node's own signal counters, read from its /metrics registry: what it accepted
// and relayed, what it refused, which connections its guard cut off, and how long its joins
// took on the node itself. The bench sets them beside the bots' counts to tell
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

/** A histogram's cumulative bucket counts by upper bound (the `le` label: '0.05', '+Inf'). */
async function histogramBuckets(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(name)?.get();
  const buckets: Record<string, number> = {};
  for (const v of metric?.values ?? []) {
    // A histogram's values carry the series they belong to (_bucket, _sum, _count).
    const series = (v as { metricName?: string }).metricName;
    if (series === `${name}_bucket`) buckets[String(v.labels['le'])] = v.value;
  }
  return buckets;
}

export interface SignalCounters {
  relayed: number;
  refused: number;
  /** Connections the node's guard cut off, by reason (guard.ts). */
  cut: Record<string, number>;
  /** Admitted joins at or under each bound, in seconds (roomlink_join_duration_seconds). */
  joinBuckets: Record<string, number>;
  /** Of those, the membership store's decision (roomlink_membership_admit_duration_seconds). */
  admitBuckets: Record<string, number>;
}

export async function signalCounters(registry: Registry): Promise<SignalCounters> {
  return {
    relayed: await counterTotal(registry, 'roomlink_signals_relayed_total'),
    refused: await counterTotal(registry, 'roomlink_rejected_events_total', { event: 'signal' }),
    cut: await counterBy(registry, 'roomlink_connections_cut_total', 'reason'),
    joinBuckets: await histogramBuckets(registry, 'roomlink_join_duration_seconds'),
    admitBuckets: await histogramBuckets(registry, 'roomlink_membership_admit_duration_seconds'),
  };
}
