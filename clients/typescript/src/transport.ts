// Plain gRPC (HTTP/2) to one mulligand, the way the Python client reaches it:
// plaintext to a daemon on loopback, TLS when a CA or client certificate is
// given, and the token as an `authorization: Bearer` header on every call.

import { readFileSync } from "node:fs";
import type { SecureClientSessionOptions } from "node:http2";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

export const DEFAULT_PORT = 7411;
export const DEFAULT_ENDPOINT = `127.0.0.1:${DEFAULT_PORT}`;

export interface TransportOptions {
  /** HOST:PORT of mulligand; a bare host means mulligand's port, not 443. */
  endpoint?: string;
  /** PEM file of the CA that signed the daemon's certificate: speak TLS. */
  caFile?: string;
  /** Client certificate and key (PEM), for a daemon that asks for one. */
  certFile?: string;
  keyFile?: string;
  /** Sent as `authorization: Bearer <token>`; none for Authenticate. */
  token?: string;
  /** Deadline of each call. */
  timeoutMs?: number;
}

/** HOST:PORT with the port filled in; IPv6 hosts stay bracketed. */
export function normalizeEndpoint(endpoint: string): string {
  const text = endpoint.trim();
  if (text === "") {
    throw new Error("the endpoint is empty: give HOST:PORT of mulligand");
  }
  const bracketed = /^\[[^\]]+\](:\d+)?$/.exec(text);
  if (bracketed) {
    return bracketed[1] ? text : `${text}:${DEFAULT_PORT}`;
  }
  const colons = text.split(":").length - 1;
  if (colons === 0) {
    return `${text}:${DEFAULT_PORT}`;
  }
  if (colons === 1 && /:\d+$/.test(text)) {
    return text;
  }
  if (colons > 1) {
    return `[${text}]:${DEFAULT_PORT}`;
  }
  throw new Error(`endpoint ${JSON.stringify(endpoint)} is not HOST:PORT`);
}

export function bearer(token: string): Interceptor {
  return (next) => async (request) => {
    request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
}

export function createTransport(options: TransportOptions = {}): Transport {
  const endpoint = normalizeEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
  if ((options.certFile === undefined) !== (options.keyFile === undefined)) {
    throw new Error("a client certificate and its key go together: give both or neither");
  }
  const secure = options.caFile !== undefined || options.certFile !== undefined;
  const nodeOptions: SecureClientSessionOptions = {};
  if (options.caFile !== undefined) {
    nodeOptions.ca = readFileSync(options.caFile);
  }
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    nodeOptions.cert = readFileSync(options.certFile);
    nodeOptions.key = readFileSync(options.keyFile);
  }
  return createGrpcTransport({
    baseUrl: `${secure ? "https" : "http"}://${endpoint}`,
    nodeOptions,
    defaultTimeoutMs: options.timeoutMs ?? 30_000,
    interceptors: options.token ? [bearer(options.token)] : [],
  });
}
