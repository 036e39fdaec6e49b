// A bot process: runs a fleet of signaling bots on the orchestrator's orders (IPC).
// Several of these share the load so that the clients, not only the server, get a core.
// It counts this process's signals per round (tally.ts); the orchestrator adds them up.
import { type BotFleet, createFleet } from './bots.ts';
import { watchLoop } from './loop-watch.ts';
import type { FromBots, ToBots } from './messages.ts';
import { createTally } from './tally.ts';

const reply = (message: FromBots): void => {
  process.send?.(message);
};

const tally = createTally();
const loop = watchLoop();
let fleet: BotFleet | null = null;
let done = 0;
let total = 0;

const reportWhenDone = (): void => {
  if (done === total) reply({ type: 'exchanged', signalsReceived: tally.counts().inTime });
};

process.on('message', (raw) => {
  const message = raw as ToBots;
  switch (message.type) {
    case 'setup':
      total = message.bots.length;
      fleet = createFleet(message.bots, tally, {
        onDone() {
          done++;
          reportWhenDone();
        },
      });
      reply({ type: 'ready' });
      break;
    case 'connect':
      void fleet?.connect(message.concurrency).then((result) => reply({ type: 'connected', ...result }));
      break;
    case 'join':
      tally.startRound();
      done = 0;
      void fleet?.join(message.startAt, message.rate).then((result) => {
        reply({ type: 'joined', ...result });
        // Rooms with a single member have nothing to exchange.
        if (total === 0) reportWhenDone();
      });
      break;
    case 'reset':
      tally.startRound();
      done = 0;
      fleet?.reset();
      reply({ type: 'reset' });
      break;
    case 'storm':
      fleet?.storm();
      break;
    case 'deadline':
      tally.markDeadline();
      break;
    case 'stats': {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      reply({
        type: 'stats',
        stats: {
          cpuMicros: cpu.user + cpu.system,
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          loop: loop.read(),
        },
      });
      break;
    }
    case 'count':
      reply({
        type: 'count',
        counts: tally.counts(),
        incomplete: fleet?.incomplete() ?? 0,
        firstIncomplete: fleet?.describeIncomplete() ?? null,
        pendingOffers: fleet?.pendingOffers() ?? 0,
        disconnected: fleet?.disconnectedIds() ?? [],
      });
      break;
    case 'between':
      reply({
        type: 'between',
        ...(fleet?.betweenConnected(new Set(message.disconnected)) ?? { sent: 0, received: 0 }),
      });
      break;
    case 'close':
      fleet?.close();
      setTimeout(() => process.exit(0), 100);
      break;
  }
});
process.on('disconnect', () => process.exit(0));
