// Sends PER_TYPE events of each of the six call types through the official Segment Node library,
// unchanged apart from its host, and exits non-zero if the library reports an error.
import { Analytics } from '@segment/analytics-node';

const { WRITE_KEY, HOST, RUN } = process.env;
const perType = Number(process.env.PER_TYPE || 10);
const analytics = new Analytics({ writeKey: WRITE_KEY, host: HOST, flushAt: 25 });
let errors = 0;
analytics.on('error', (err) => {
  errors += 1;
  console.error('analytics-node error:', err.code || '', err.reason || err.message || err);
});

for (let i = 0; i < perType; i += 1) {
  const userId = `node-user-${i}`;
  const properties = { run: RUN, seq: i };
  analytics.identify({ userId, traits: { ...properties, plan: 'pro' } });
  analytics.track({ userId, event: 'Interop Checked', properties });
  analytics.page({ userId, name: 'Home', properties });
  analytics.screen({ userId, name: 'Main', properties });
  analytics.group({ userId, groupId: `g-${i}`, traits: properties });
  analytics.alias({ userId, previousId: `anon-${RUN}-${i}` });
}
await analytics.closeAndFlush({ timeout: 30000 });
console.log(`sent ${perType * 6} events, library errors: ${errors}`);
process.exit(errors === 0 ? 0 : 1);
