// The value types of the settings (config-settings.ts): what a log level, a secret, a host, a
// port, an ICE URL, a rate, an origin, a proxy list or a boolean may be, as zod schemas that
// turn the text of a variable or flag into its value or a message saying what is wrong with it
// (the log levels as the list their schema is made from).
import { isIP } from 'node:net';
import { RedisClient } from '@redis/client';
import express from 'express';
import { z } from 'zod';
import type { Rate, TrustProxy } from './config.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A DNS name: dot-separated labels of letters, digits and inner dashes, 253 characters at most. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/**
 * What listen() can bind: an IP address as node:net reads it (IPv6 without brackets), or a
 * host name. A name whose last label is all digits (999.999.999.999) is a broken IPv4 address.
 */
export const listenHost = z
  .string()
  .refine(
    (h) => isIP(h) !== 0 || (HOST_NAME.test(h) && !/(?:^|\.)\d+$/.test(h)),
    'must be an IP address (IPv6 without brackets, e.g. ::1) or a host name',
  );
/** A port in a URL or host:port, when there is one: 1..65535. */
const portInRange = (port: string | undefined) => port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
const PORT_RANGE = 'each port must be from 1 to 65535';
// RFC 7064/7065: stun:host[:port], turn:host[:port][?transport=udp|tcp]; host may be [v6].
// The port, when given, is the pattern's first group.
const ICE_HOST = '(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?';
export const STUN_URL = new RegExp(`^stuns?:${ICE_HOST}$`);
export const TURN_URL = new RegExp(String.raw`^turns?:${ICE_HOST}(?:\?transport=(?:udp|tcp))?$`);
/** What STUN_URL and TURN_URL accept, as their messages say it. */
export const STUN_URL_SHAPE = 'stun:host[:port] or stuns:host[:port]';
export const TURN_URL_SHAPE = 'turn:host[:port] or turns:host[:port], optionally with ?transport=udp or ?transport=tcp';

/**
 * The shortest key roomlink accepts: ROOMLINK_SECRET's (resume tickets) and TURN_SECRET's
 * (TURN credentials). Each signs what every page is given, and a shorter one can be found
 * from a single signature offline (TURN_SECRET=abc in 31 ms: explorer R).
 */
export const MIN_SECRET_LENGTH = 16;

/**
 * A secret or credential: at least `min` characters, and not whitespace only (sixteen spaces
 * pass a length check, and a key anyone can guess is none).
 */
export const secretText = (min: number, message = 'must not be empty') =>
  z
    .string()
    .min(min, message)
    .refine((value) => value.trim() !== '', 'must not be only whitespace');

/**
 * Digits only, so the number is whole; its range checked here rather than by z.number(),
 * whose own bounds (a safe integer, a finite number) answer 99999999999999999999999 or 400
 * digits in zod's words ("Too big: expected int to be <=9007199254740991") before ours.
 */
export const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min, `must be at least ${min}`)
    .refine((n) => n <= max, `must be at most ${max}`);

/** The items of a comma-separated list, trimmed, empty ones dropped. */
const commaSeparated = (list: string): string[] =>
  list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Comma-separated URLs, each matching `pattern` (whose first group is the port); at least one.
 * `shape` says what the pattern accepts, in the message for a URL it refuses.
 */
export const urlList = (pattern: RegExp, shape: string, empty: string) =>
  z
    .string()
    .transform(commaSeparated)
    .pipe(
      z
        .array(
          z
            .string()
            .regex(pattern, `each URL must look like ${shape} (comma-separated)`)
            .refine((u) => portInRange(pattern.exec(u)?.[1]), PORT_RANGE),
        )
        .min(1, empty),
    );

/** "PER_SECOND/BURST" (e.g. "50/200") or "off". */
export const rateValue = z.string().transform((v, ctx): Rate | null => {
  const s = v.trim().toLowerCase();
  if (s === 'off' || s === '0') return null;
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(s);
  const perSecond = Number(match?.[1]);
  const burst = Number(match?.[2]);
  if (!match || !(perSecond > 0) || !(burst >= 1) || perSecond > 1e6 || burst > 1e7) {
    ctx.addIssue({ code: 'custom', message: 'must be PER_SECOND/BURST (e.g. 50/200, both > 0) or off' });
    return z.NEVER;
  }
  // The bucket holds BURST: below PER_SECOND it never holds a second's worth, and what a
  // page sends at once (an offer and its candidates, a join and its upgrade) is refused
  // however low its rate. Most likely the two were swapped.
  if (burst < perSecond) {
    ctx.addIssue({
      code: 'custom',
      message: `BURST (${burst}) must be at least PER_SECOND (${perSecond}): a bucket smaller than a second's worth refuses what a client sends at once, whatever its rate (the order is PER_SECOND/BURST${Number.isInteger(perSecond) ? `: did you mean ${burst}/${perSecond}?` : ''})`,
    });
    return z.NEVER;
  }
  return { perSecond, burst };
});

const ORIGIN = /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;
const HOST_PORT = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;
/**
 * Whether the host of a host:port that passed HOST_PORT is one: an IPv6 address in brackets,
 * an IPv4 address, or a host name whose last label is not all digits. The pattern alone let
 * `[1.2.3]:7000` and `[::::]:7000` through, and the node then retried them forever.
 */
function hostOfNodeIsOne(node: string): boolean {
  const host = node.slice(0, node.lastIndexOf(':'));
  if (host.startsWith('[')) return isIP(host.slice(1, -1)) === 6;
  return isIP(host) === 4 || (HOST_NAME.test(host) && !/(?:^|\.)\d+$/.test(host));
}
export const hostPortList = z
  .string()
  .transform(commaSeparated)
  .pipe(
    z
      .array(
        z
          .string()
          .regex(HOST_PORT, 'each node must be host:port (comma-separated)')
          .refine((node) => portInRange(HOST_PORT.exec(node)?.[1]), PORT_RANGE)
          .refine(hostOfNodeIsOne, 'the host of each node must be a host name, an IPv4 address or an [IPv6] address'),
      )
      // Commas alone are a mistake, not "no Cluster" (which is the variable unset).
      .min(1, 'must list at least one node (host:port)'),
  );
export const originList = z
  .string()
  .transform((s) => commaSeparated(s).map((o) => o.replace(/\/$/, '')))
  .pipe(
    z
      .array(
        z
          .string()
          .refine(
            (o) => o === '*' || ORIGIN.test(o),
            'each origin must look like https://host[:port] (comma-separated), or *',
          )
          .refine((o) => o === '*' || portInRange(ORIGIN.exec(o)?.[1]), PORT_RANGE)
          // What passes the pattern may still be no URL (http://1.2.3.256, http://[::::]).
          .refine((o) => o === '*' || URL.canParse(o), 'each origin must be a valid URL (is its host an address?)')
          // As browsers send it: lowercase, without the scheme's default port (https://a.com:443
          // is Origin https://a.com).
          .transform((o) => (o === '*' ? o : new URL(o).origin)),
      )
      // Commas alone are a mistake, not "same origin only" (which is the variable unset).
      .min(1, 'must list at least one origin (https://host[:port]), or *')
      // With * the origins beside it mean nothing: someone meant a list, or meant any.
      .refine(
        (origins) => !origins.includes('*') || origins.length === 1,
        '* allows every origin: give it alone, or list the origins without it',
      ),
  );

/**
 * Whether node-redis can open this URL: what passes a pattern may still throw as the
 * server starts (a port over 65535, `redis://[::1`, a database that is no number, a
 * password with a broken %-escape), with the URL, password included, in the stack trace.
 */
function redisUrlParses(url: string): boolean {
  try {
    RedisClient.parseURL(url);
    return true;
  } catch {
    return false;
  }
}

export const redisUrl = z
  .string()
  .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
  .refine(
    redisUrlParses,
    'must be redis[s]://[user:password@]host[:port][/database] (port 1–65535, database a number)',
  );

// The values Express's `trust proxy` accepts, minus functions: see expressjs.com/en/guide/behind-proxies.html.
const PROXY_NAME = /^(?:loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(?:\/\d{1,3})?)$/;
/**
 * Why Express (proxy-addr) refuses a list of addresses/subnets, or null. What passes the
 * pattern may still not compile (`10.0.0.0/99`, `999.1.1.1`, `1.2.3`): asked here, with the
 * code web.ts sets it with, rather than left to throw a stack trace at start.
 */
function proxyListError(list: string[]): string | null {
  try {
    express().set('trust proxy', list);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
/** A longer chain of proxies of one's own is no deployment; a bigger count is a typo. */
export const MAX_PROXY_HOPS = 99;
export const trustProxyValue = z.string().transform((v, ctx): TrustProxy => {
  const s = v.trim().toLowerCase();
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  if (['true', 'yes', 'on'].includes(s)) return true;
  // Digits alone are a hop count, however many: proxy-addr would take `100` for the address
  // 0.0.0.100, and `2130706433` for 127.0.0.1.
  if (/^\d+$/.test(s)) {
    if (Number(s) <= MAX_PROXY_HOPS) return Number(s);
    ctx.addIssue({ code: 'custom', message: `a hop count must be at most ${MAX_PROXY_HOPS}` });
    return z.NEVER;
  }
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  // A hop count stands alone: in a list, digits would be read as an address too.
  const named = list.length > 0 && list.every((x) => PROXY_NAME.test(x) && !/^\d+$/.test(x));
  const wrong = named ? proxyListError(list) : '';
  if (wrong === null) return list;
  ctx.addIssue({
    code: 'custom',
    message: `must be false, true, a hop count, or comma-separated addresses/subnets/loopback/linklocal/uniquelocal${wrong === '' ? '' : ` (${wrong})`}`,
  });
  return z.NEVER;
});

export const booleanValue = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const s = v.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be 1/true/yes or 0/false/no' });
  return z.NEVER;
});
