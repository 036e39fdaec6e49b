// From the parts' results to the chart's plain numbers.

import type { MachineInfo } from './machine.ts';
import type { MeshSize, MessagingData } from './parts/browser.ts';
import type { ChartInput, MeshPoint } from './report/svg.ts';

export function chartInput(
  machine: MachineInfo,
  mesh: MeshSize[] | null,
  messaging: MessagingData | null,
  runs: number,
): ChartInput {
  const point = (n: number, s: MeshSize['app']['summary']): MeshPoint => ({
    n,
    median: s.median,
    min: s.min,
    max: s.max,
  });
  const appLatency = messaging?.app.latency?.samplesMs;
  const bareLatency = messaging?.bare.latency?.samplesMs;
  return {
    title: 'roomlink vs a bare WebRTC page (headless Chromium, one context per user)',
    subtitle: `${machine.date.slice(0, 10)} · ${machine.cpus} CPUs · ${machine.versions.chromium.replace(/ built on .*$/, '')} · mesh: median line, bar = min–max of ${runs} runs`,
    mesh: mesh
      ? { app: mesh.map((m) => point(m.n, m.app.summary)), bare: mesh.map((m) => point(m.n, m.bare.summary)) }
      : null,
    latency: appLatency && bareLatency ? { app: appLatency, bare: bareLatency } : null,
  };
}
