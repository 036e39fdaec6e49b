// The STUN and TURN settings' rows of the table (config-settings.ts): the ICE servers handed
// to browsers, and the TURN credentials, short-lived from a secret or static.
import { z } from 'zod';
import { DEFAULTS } from './config-defaults.ts';
import type { Setting } from './config-settings.ts';
import {
  intIn,
  MIN_SECRET_LENGTH,
  STUN_URL,
  STUN_URL_SHAPE,
  secretText,
  TURN_URL,
  TURN_URL_SHAPE,
  urlList,
} from './config-values.ts';

/** TURN credentials live from a minute to a week. */
const TURN_TTL_S = { min: 60, max: 7 * 24 * 3600 };

export const ICE_SETTINGS: Setting[] = [
  {
    key: 'stunUrls',
    env: 'STUN_URLS',
    flag: 'stun-urls',
    type: 'string',
    help: `comma-separated stun: URLs handed to browsers (default ${DEFAULTS.stunUrls.join(',')}; none = no STUN)`,
    schema: z.union([
      z
        .string()
        .regex(/^\s*none\s*$/i)
        .transform((): string[] => []),
      urlList(STUN_URL, STUN_URL_SHAPE, 'must list at least one stun: URL, or be none for no STUN'),
    ]),
  },
  {
    key: 'turnUrls',
    env: 'TURN_URLS',
    flag: 'turn-urls',
    type: 'string',
    help: 'comma-separated turn:/turns: URLs handed to browsers (with TURN_SECRET, or TURN_USERNAME + TURN_CREDENTIAL)',
    schema: urlList(TURN_URL, TURN_URL_SHAPE, 'must list at least one turn: URL'),
  },
  {
    key: 'turnSecret',
    env: 'TURN_SECRET',
    flag: 'turn-secret',
    type: 'string',
    help: `coturn's static-auth-secret (short-lived credentials), at least ${MIN_SECRET_LENGTH} characters`,
    // Every page is given a credential signed with it: a short one is found from that offline.
    schema: secretText(
      MIN_SECRET_LENGTH,
      `must be at least ${MIN_SECRET_LENGTH} characters: every page gets a credential signed with it, and a shorter secret can be guessed from one`,
    ),
    secret: true,
  },
  {
    key: 'turnTtl',
    env: 'TURN_TTL',
    flag: 'turn-ttl',
    type: 'string',
    help: `lifetime of TURN credentials in seconds (default ${DEFAULTS.turnTtl}, ${TURN_TTL_S.min}..${TURN_TTL_S.max})`,
    schema: intIn(TURN_TTL_S.min, TURN_TTL_S.max),
  },
  {
    key: 'turnUsername',
    env: 'TURN_USERNAME',
    flag: 'turn-username',
    type: 'string',
    help: 'static TURN username (instead of TURN_SECRET)',
    schema: secretText(1),
  },
  {
    key: 'turnCredential',
    env: 'TURN_CREDENTIAL',
    flag: 'turn-credential',
    type: 'string',
    help: 'static TURN password (with TURN_USERNAME)',
    schema: secretText(1),
    secret: true,
  },
];
