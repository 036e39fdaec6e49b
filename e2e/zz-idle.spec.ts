import { test } from './support/fixtures.ts';
import { createNetns } from './support/netns.ts';
import { startServer } from './support/server.ts';
import { createBrowserPool } from './support/browser.ts';
test('fixture cost', async ({}, testInfo) => {
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    const netns = await createNetns();
    const t1 = Date.now();
    const server = await startServer({ netns, wireLogPath: testInfo.outputPath('w.log'), env: {} });
    const t2 = Date.now();
    const pool = createBrowserPool(netns, {});
    const ctx = await pool.newContext({ label: 'x' });
    const t3 = Date.now();
    const page = await ctx.newPage();
    const t4 = Date.now();
    await pool.close(); const t5 = Date.now();
    await server.stop(); const t6 = Date.now();
    await netns.destroy(); const t7 = Date.now();
    console.log(`COST netns ${t1-t0} server ${t2-t1} browser+ctx ${t3-t2} page ${t4-t3} | close browser ${t5-t4} server ${t6-t5} netns ${t7-t6}`);
    void page;
  }
});
