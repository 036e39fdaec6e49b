// How the server tells its clients apart: each one's address (X-Forwarded-For believed only
// as TRUST_PROXY says: proxy.ts), and the per-address limits counted by it, which a tunnel
// would lump into one bucket. Owns the one-time warning that a proxy seems to be in front
// but is not trusted.
import type { IncomingMessage } from 'node:http';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { clientAddress, type TrustFn } from './proxy.ts';
import { type AddressLimits, createAddressLimits, LIMITED_EVENTS } from './rate-limit.ts';

/** The client's address; warns once when a proxy seems to be in front but is not trusted. */
export function createAddressOf(
  config: Pick<Config, 'trustProxy'>,
  trust: TrustFn,
  logger: Logger,
): (req: IncomingMessage) => string {
  let warnedForwarded = false;
  return (req) => {
    if (!warnedForwarded && config.trustProxy === false && req.headers['x-forwarded-for'] !== undefined) {
      warnedForwarded = true;
      logger.warn(
        "requests carry X-Forwarded-For but TRUST_PROXY is off: per-address limits count the proxy's address; set TRUST_PROXY (e.g. loopback) behind a proxy you run",
      );
    }
    return clientAddress(req, trust);
  };
}

/** The per-address limits of the configuration, or none of them where a tunnel lumps every visitor. */
export function addressLimitsFor(config: Config, logger: Logger): AddressLimits {
  const lumped = tunnelLumpsAddresses(config);
  const addressLimits = createAddressLimits(lumped ? withoutAddressLimits(config) : config);
  if (lumped) {
    logger.warn(
      'with --tunnel every visitor arrives from this machine (the tunnel client connects locally): per-address rate limits (*_RATE_IP) are off, per-socket limits stay; set TRUST_PROXY only if the tunnel server appends X-Forwarded-For',
    );
  }
  return addressLimits;
}

/**
 * With --tunnel, localtunnel's client pipes visitors' requests through connections it opens
 * to this server from this machine: every visitor has this machine's address, and per-address limits would be one bucket for
 * all of them (one flooder's cut would refuse everyone's new connections). The tunnel's
 * X-Forwarded-For cannot stand in: a self-hosted localtunnel server sets none, so it is the
 * visitor's to write, and tunnel connections cannot be told from other local ones. Unless
 * TRUST_PROXY says whom to believe, per-address limits are off (per-socket ones stay).
 */
function tunnelLumpsAddresses(config: Config): boolean {
  return config.tunnel && config.trustProxy === false;
}

function withoutAddressLimits(config: Config): Config {
  const off = Object.fromEntries(Object.values(LIMITED_EVENTS).map((limit) => [limit.ip, null]));
  return { ...config, ...off, rateConnectIp: null };
}
