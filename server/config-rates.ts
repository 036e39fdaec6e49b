// The rate limits' rows of the table (config-settings.ts): token buckets per socket or per
// client address for room:join, signal and ice:refresh, and for new connections per address.
import type { Config, Rate } from './config.ts';
import { DEFAULTS } from './config-defaults.ts';
import type { Setting } from './config-settings.ts';
import { rateValue } from './config-values.ts';

export const RATE_SETTINGS: Setting[] = [
  rateSetting('rateJoinSocket', 'JOIN_RATE_SOCKET', 'room:join per socket'),
  rateSetting('rateJoinIp', 'JOIN_RATE_IP', 'room:join per client address'),
  rateSetting('rateSignalSocket', 'SIGNAL_RATE_SOCKET', 'signal per socket'),
  rateSetting('rateSignalIp', 'SIGNAL_RATE_IP', 'signal per client address'),
  rateSetting('rateIceSocket', 'ICE_REFRESH_RATE_SOCKET', 'ice:refresh per socket'),
  rateSetting('rateIceIp', 'ICE_REFRESH_RATE_IP', 'ice:refresh per client address'),
  rateSetting('rateConnectIp', 'CONNECT_RATE_IP', 'new connections per client address'),
];

type RateKey = { [K in keyof Config]-?: Config[K] extends Rate | null ? K : never }[keyof Config];

function rateSetting(key: RateKey, env: string, what: string): Setting {
  const rate = DEFAULTS[key];
  return {
    key,
    env,
    flag: env.toLowerCase().replaceAll('_', '-'),
    type: 'string',
    help: `${what}: PER_SECOND/BURST or off (default ${rate === null ? 'off' : `${rate.perSecond}/${rate.burst}`})`,
    schema: rateValue,
  };
}
