// Where a line's latency goes, for roomlink's page and the bare page alike: two users in a
// new room, `lat:` lines through the same send path as the latency part (the composer's
// Enter on roomlink's page, the send call on the bare page), each stamped by pages/stages.ts
// at the sender's RTCDataChannel.send and around the receiver's message listener, and by
// the receiver's probe once it is on the page. Each stage is the median over the lines.
import type { Page } from '@playwright/test';
import { machineBusyMs } from '../machine.ts';
import type { StageStamps } from '../pages/shared.ts';
import { summarize } from '../stats.ts';
import type { BrowserBenchEnv } from './env.ts';
import { inRoom, paceLatencyLines } from './messaging.ts';
import type { Flavor } from './room.ts';

/** Medians over one room's lines, ms. */
export interface LineStages {
  /** Enter (roomlink) or the send call (bare) → RTCDataChannel.send. */
  send: number;
  /** RTCDataChannel.send → the receiving page's message listener starts. */
  channel: number;
  /** The receiving listener, start to return. */
  handler: number;
  /** Its return → the line is on the page (roomlink: its MutationObserver; bare: recorded). */
  toPage: number;
  /** Enter or send call → on the page: the latency part's figure. */
  total: number;
  /**
   * The machine's CPU (every core, every process: both pages, the browser, the GPU process,
   * the servers) over the round, per line: what one line costs the two cores it shares.
   */
  cpuPerLine: number;
  lines: number;
}

type StagesWindow = { __stages: StageStamps };

const readStamps = (page: Page): Promise<StageStamps> =>
  page.evaluate(() => (globalThis as unknown as StagesWindow).__stages);

export function measureStages(env: BrowserBenchEnv, flavor: Flavor, messages: number): Promise<LineStages> {
  return inRoom(env, flavor, (sender, receiver) => stagesOf(sender, receiver, messages), {
    initScript: env.stagesProbe,
  });
}

async function stagesOf(sender: Page, receiver: Page, messages: number): Promise<LineStages> {
  const busyAtStart = machineBusyMs();
  const { sentAt, record } = await paceLatencyLines(sender, receiver, messages);
  const cpuPerLine = (machineBusyMs() - busyAtStart) / messages;
  const [sent, received] = await Promise.all([readStamps(sender), readStamps(receiver)]);
  const stages: Record<Exclude<keyof LineStages, 'lines' | 'cpuPerLine'>, number[]> = {
    send: [],
    channel: [],
    handler: [],
    toPage: [],
    total: [],
  };
  for (const line of record.received) {
    if (!line.text.startsWith('lat:')) continue;
    const i = line.text.split(':')[1] ?? '';
    const enter = sentAt[Number(i)];
    const out = sent.sent[i];
    const arrived = received.arrived[i];
    const handled = received.handled[i];
    if (enter === undefined || out === undefined || arrived === undefined || handled === undefined) continue;
    stages.send.push(out - enter);
    stages.channel.push(arrived - out);
    stages.handler.push(handled - arrived);
    stages.toPage.push(line.at - handled);
    stages.total.push(line.at - enter);
  }
  const median = (values: number[]) => summarize(values).median;
  return {
    send: median(stages.send),
    channel: median(stages.channel),
    handler: median(stages.handler),
    toPage: median(stages.toPage),
    total: median(stages.total),
    cpuPerLine,
    lines: stages.total.length,
  };
}
