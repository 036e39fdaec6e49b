// The page's ICE configuration (client/ice.ts): TURN credentials are renewed before they
// expire, whatever happens to the links that are told of them.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createIce } from '../../client/ice.ts';

test('credentials are renewed before they expire even when telling the links of them failed', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
  try {
    let refreshes = 0;
    const ice = createIce({
      relayOnly: false,
      refresh: async () => {
        refreshes++;
        return null;
      },
      updated() {
        throw new Error('a link refused the configuration');
      },
    });
    const inAnHour = Math.floor(Date.now() / 1000) + 3_600;
    assert.throws(() => ice.set({ iceServers: [], iceExpiresAt: inAnHour }));
    mock.timers.tick(3_600_000);
    assert.equal(refreshes, 1);
    ice.stop();
  } finally {
    mock.timers.reset();
  }
});
