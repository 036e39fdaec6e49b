// The relay row: a line through a member next to a direct one, in the same room and run
// (issue 14's target: p50 through the relay ≤ 2× direct plus the relay's round trip).
import { measureRelay, type RelayLatency } from '../browser/relay.ts';
import { fmt, row, verdict } from '../report/rows.ts';
import { summarize } from '../stats.ts';
import type { PartResult } from './types.ts';

export async function runRelayPart(messages: number): Promise<PartResult & { data: RelayLatency }> {
  const data = await measureRelay(messages);
  const direct = summarize(data.direct);
  const relayed = summarize(data.relayed);
  const rtt = data.relayRttMs;
  const limit = rtt === null ? Number.NaN : 2 * direct.p50 + rtt;
  console.log(
    `  relay: direct p50 ${fmt(direct.p50, 'ms')} (${direct.count}), through carol p50 ${fmt(relayed.p50, 'ms')} (${relayed.count}), RTT through carol ${fmt(rtt, 'ms')}, to carol ${fmt(data.directRttMs, 'ms')}`,
  );
  const complete = direct.count === messages && relayed.count === messages;
  return {
    part: 'relay',
    data,
    notes: [
      'relay: NAT lab, alice and bob behind symmetric NATs with STUN, no TURN, carol open; alice sends private lines alternately to bob (through carol, sealed) and to carol (direct), 60 ms apart; each page stamps on the machine clock. RTT is what the member list shows (alice→carol + carol→bob).',
    ],
    rows: [
      row('relay', `line latency, direct (alice → carol), p50 / p99 (${direct.count} lines)`, {
        app: `${fmt(direct.p50, 'ms')} / ${fmt(direct.p99, 'ms')}`,
      }),
      row('relay', `line latency through a member (alice → carol → bob), p50 / p99 (${relayed.count} lines)`, {
        app: `${fmt(relayed.p50, 'ms')} / ${fmt(relayed.p99, 'ms')}`,
        target: `≤ 2× direct + RTT (${fmt(limit, 'ms')})`,
        result: complete && Number.isFinite(limit) ? verdict(relayed.p50 <= limit) : verdict(complete ? null : false),
      }),
    ],
  };
}
