// Runs test/hostile.ts's attacks against a server, from inside a test namespace:
//   node --import tsx e2e/support/hostile-run.ts <server url> <victim peer id>
// Prints one line `HOSTILE {"answered":…,"closes":…,"statuses":[…]}`; exits 1 if an attack
// went unanswered.
import { attackHttp, attackSockets } from '../../test/hostile.ts';

const [url, victimId] = process.argv.slice(2);
if (!url || !victimId) {
  console.error('usage: hostile-run.ts <server url> <victim peer id>');
  process.exit(2);
}
const port = Number(new URL(url).port);
const [sockets, statuses] = await Promise.all([
  attackSockets(url, { attackers: 4, eventsPerAttacker: 150, victimId }),
  attackHttp(port, 2),
]);
console.log(`HOSTILE ${JSON.stringify({ ...sockets, statuses })}`);
process.exit(0);
