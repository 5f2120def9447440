/**
 * Who the client is, for rate limits and sign-in lock-outs: the connection's address, or the
 * address a trusted reverse proxy reports in X-Forwarded-For (TRUST_PROXY). Express computes
 * `req.ip` with the same rule; the public edge runs before Express, so both call this.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '@openccs/config';

/** The predicate Express's `trust proxy` setting and proxy-addr take. */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

/**
 * The key a client is counted under: its IPv4 address, or the /64 network of its IPv6 address
 * (one subscriber gets a whole /64, so counting single addresses would let them rotate freely).
 */
export function clientKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const groups = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${groups.join(':')}::/64`;
}

export function clientKeyOf(
  trust: (address: string, hop: number) => boolean,
): (req: IncomingMessage) => string {
  return (req) => clientKey(req.socket.remoteAddress ? proxyAddr(req, trust) : undefined);
}

/** The calling client's key, from `req.ip` (which Express derives with the same TRUST_PROXY rule). */
export const ClientKey = createParamDecorator((_: unknown, host: ExecutionContext): string =>
  clientKey(host.switchToHttp().getRequest<Request>().ip),
);
