// The hostile side of the hostile-load bench (bench/parts/hostile.ts), in its own process:
// N connections flooding unknown events, even ones over Socket.IO clients that read, odd
// ones over raw WebSockets that never read, each from its own X-Forwarded-For address and
// reconnecting whenever cut off. Prints "cut <ms>" (how long each connection lived) per
// connection closed by the server, and "refused" per connection attempt the server turned
// away; stops on SIGTERM.
import { io as connect, type Socket } from 'socket.io-client';
import { rawSocketIo, wsFrame } from '../../test/hostile.ts';

const [url = '', countText = '20'] = process.argv.slice(2);

function client(address: string): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { 'X-Forwarded-For': address },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

let stopped = false;
const report = (ms: number): void => {
  if (!stopped) process.stdout.write(`cut ${ms.toFixed(1)}\n`);
};

/** A hostile connection that floods until stopped, reconnecting when cut; records lifetimes. */
function attack(n: number, reads: boolean): void {
  const address = `198.51.100.${n + 10}`;
  const floodReading = async (): Promise<void> => {
    const socket = await client(address);
    const started = performance.now();
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    let open = true;
    void closed.then(() => {
      open = false;
      report(performance.now() - started);
    });
    while (open && !stopped) {
      for (let i = 0; i < 100; i += 1) socket.emit(`nonsense:${i}` as never);
      await new Promise((resolve) => setImmediate(resolve));
    }
    socket.close();
  };
  const floodSilent = async (): Promise<void> => {
    const socket = await rawSocketIo(url, { 'X-Forwarded-For': address });
    const started = performance.now();
    let open = true;
    socket.once('close', () => {
      open = false;
      report(performance.now() - started);
    });
    socket.on('error', () => {});
    const frame = wsFrame('42["nonsense",{"pad":"xxxxxxxxxxxxxxxx"}]');
    while (open && !stopped) {
      // Loopback takes writes straight into the kernel (write() keeps returning true):
      // yield between batches, or this loop would starve every other attacker.
      for (let i = 0; i < 100; i += 1) socket.write(frame);
      if (socket.writableLength > 0) {
        await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    socket.destroy();
  };
  void (async () => {
    while (!stopped) {
      try {
        await (reads ? floodReading() : floodSilent());
      } catch (error) {
        if (process.env['DEBUG_ATTACKERS']) console.error(error);
        if (!stopped) process.stdout.write('refused\n');
        // refused (connection rate limit): try again shortly
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  })();
}

for (let n = 0; n < Number(countText); n += 1) attack(n, n % 2 === 0);
process.once('SIGTERM', () => {
  stopped = true;
  setTimeout(() => process.exit(0), 200).unref();
});
