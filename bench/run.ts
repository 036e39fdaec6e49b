// `npm run bench`: measures what users feel (browser mesh, latency, burst, leave — each
// against a bare WebRTC page —, a victim's page under a member's flood) and what servers
// carry (signaling bots, one node and two on Redis); prints the table and writes JSON,
// latest.md and latest.svg to bench/results/.
import { fileURLToPath } from 'node:url';
import { buildBundles } from '../scripts/build.ts';
import { createBrowserBenchEnv } from './browser/env.ts';
import { chartInput } from './chart.ts';
import { finishMachineInfo, machineInfo } from './machine.ts';
import { type BenchOptions, BROWSER_PARTS, parseOptions, USAGE, wantsHelp } from './options.ts';
import { type MeshSize, type MessagingData, runLeavePart, runMeshPart, runMessagingParts } from './parts/browser.ts';
import { runCallsPart } from './parts/calls.ts';
import { filesSizes, runFilesPart } from './parts/files.ts';
import { runFloodPart } from './parts/flood.ts';
import { runHistoryPart } from './parts/history.ts';
import { runHostilePart } from './parts/hostile.ts';
import { runIdlePart } from './parts/idle.ts';
import { runLongPart } from './parts/long.ts';
import { runRelayPart } from './parts/relay.ts';
import { runRedisPart, runSignalingPart } from './parts/signaling.ts';
import { runStagesPart } from './parts/stages.ts';
import type { PartResult } from './parts/types.ts';
import { markdownTable } from './report/rows.ts';
import { renderChart } from './report/svg.ts';
import { writeResults } from './report/write.ts';
import type { SignalingResult } from './signaling/run.ts';

const defaultOut = fileURLToPath(new URL('./results/', import.meta.url));

function heading(text: string): void {
  console.log(`\n=== ${text} ===`);
}

async function browserParts(
  options: BenchOptions,
  results: PartResult[],
): Promise<{ mesh: MeshSize[] | null; messaging: MessagingData | null }> {
  const wants = (part: (typeof BROWSER_PARTS)[number]) => options.parts.has(part);
  if (!BROWSER_PARTS.some(wants)) return { mesh: null, messaging: null };
  heading('browser (Chromium in a private network namespace)');
  const env = await createBrowserBenchEnv();
  let mesh: MeshSize[] | null = null;
  let messaging: MessagingData | null = null;
  try {
    if (wants('mesh')) {
      const part = await runMeshPart(env, options.sizes, options.runs);
      mesh = part.data;
      results.push(part);
    }
    if (wants('latency') || wants('burst')) {
      const parts = await runMessagingParts(env, {
        latency: wants('latency') ? options.messages : null,
        burst: wants('burst') ? options.burst : null,
        rounds: options.runs,
      });
      messaging = parts.data;
      if (parts.latency) results.push(parts.latency);
      if (parts.burst) results.push(parts.burst);
    }
    if (wants('stages')) results.push(await runStagesPart(env, options.runs, options.messages));
    if (wants('leave')) results.push(await runLeavePart(env, options.runs));
    if (wants('history')) results.push(await runHistoryPart(env, options.runs));
    if (wants('calls')) results.push(await runCallsPart(env, options.runs, options.quick));
    if (wants('files')) results.push(await runFilesPart(env, filesSizes(options.quick)));
    if (wants('flood')) results.push(await runFloodPart(env, options.runs, options.quick));
    if (wants('idle')) results.push(await runIdlePart(env, options.runs, options.quick));
    if (wants('long')) results.push(await runLongPart(env, options.quick));
  } finally {
    await env.close();
  }
  return { mesh, messaging };
}

async function signalingParts(options: BenchOptions, results: PartResult[]): Promise<void> {
  const signalingOptions = {
    clients: options.clients,
    joinRate: options.joinRate,
    botProcs: options.botProcs,
    quick: false,
  };
  let memory: SignalingResult[] = [];
  if (options.parts.has('signaling')) {
    heading('signaling server (socket.io-client bots, one node, in-memory adapter)');
    const part = await runSignalingPart(signalingOptions);
    memory = part.data;
    results.push(part);
  }
  if (options.parts.has('redis')) {
    heading('signaling server on Redis (one node, the three adapters on two nodes, the default on three)');
    results.push(await runRedisPart(signalingOptions, memory));
  }
}

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    console.log(USAGE);
    return;
  }
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), defaultOut);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  const machine = machineInfo();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  console.log(
    `${command}\n${machine.cpus} CPUs, load average ${machine.loadAverage.start.toFixed(2)}, ${machine.versions.chromium}, Node ${machine.versions.node}`,
  );
  // What is measured is the tree as it is: both bundles are built first.
  await buildBundles();
  const started = Date.now();
  const results: PartResult[] = [];
  const { mesh, messaging } = await browserParts(options, results);
  await signalingParts(options, results);
  if (options.parts.has('hostile')) {
    heading('hostile load (20 flooding connections against one node)');
    results.push(await runHostilePart());
  }
  if (options.parts.has('relay')) {
    heading('relay through a member (NAT lab: two symmetric NATs and an open host)');
    results.push(await runRelayPart(options.messages));
  }
  finishMachineInfo(machine);

  heading(`results (${Math.round((Date.now() - started) / 1000)} s)`);
  const rows = results.flatMap((part) => part.rows);
  console.log(markdownTable(rows));
  for (const note of results.flatMap((part) => part.notes)) console.log(`- ${note}`);
  const svg = renderChart(chartInput(machine, mesh, messaging, options.runs));
  const meta = { machine, options: { ...options, parts: [...options.parts] }, command };
  const written = writeResults(options.out, meta, results, svg);
  console.log(`\nwritten:\n${written.map((path) => `  ${path}`).join('\n')}`);
  const missed = rows.filter((r) => r.result === 'miss').length;
  if (missed > 0) console.log(`${missed} target(s) missed (see the table)`);
}

await main();
