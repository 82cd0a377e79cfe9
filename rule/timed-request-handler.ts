/**
 * The HTTP handler every SDK client of the rule and the audit is built with: the SDK's own
 * `NodeHttpHandler`, whose connection and request timeouts are off by default (0 disables them), given
 * both, so a service endpoint that accepts a connection and never answers fails the call with a
 * `TimeoutError` instead of holding it forever. The SDK's retries then apply as to any failed call.
 * Options: https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-node-http-handler
 * (`NodeHttpHandlerOptions`; since @smithy/node-http-handler 4.4, a breached `requestTimeout` only logs a
 * warning unless `throwOnRequestTimeout` is set), and requestHandler with an agent:
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Milliseconds a TCP (and TLS) connection to an AWS endpoint may take to open. */
export const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * Milliseconds one request may take from being sent to its last byte. The largest page read here (1,000
 * Client VPN endpoints) answers in well under a second; 30 s leaves room for a slow region, and with the
 * SDK's 3 attempts a stuck call ends within about 1.5 minutes even without a caller's deadline.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Options of {@link createTimedRequestHandler}. */
export interface TimedRequestHandlerOptions {
  /**
   * The agent for `http:` endpoints (a loopback stand-in), to share sockets across clients.
   * @default a new agent per handler
   */
  readonly httpAgent?: HttpAgent;
  /**
   * The agent for `https:` endpoints, to share sockets across clients.
   * @default a new agent per handler
   */
  readonly httpsAgent?: HttpsAgent;
  /**
   * Milliseconds one request may take.
   * @default REQUEST_TIMEOUT_MS
   */
  readonly requestTimeoutMs?: number;
  /**
   * Milliseconds a connection may take to open.
   * @default CONNECTION_TIMEOUT_MS
   */
  readonly connectionTimeoutMs?: number;
}

/**
 * Builds a `NodeHttpHandler` with connection and request timeouts that throw.
 *
 * @param options - agents to share, and the timeouts
 * @returns the handler, for a client's `requestHandler`
 */
export function createTimedRequestHandler(options: TimedRequestHandlerOptions = {}): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    // Without it, a request past requestTimeout is only logged as a warning and goes on waiting.
    throwOnRequestTimeout: true,
    ...(options.httpAgent === undefined ? {} : { httpAgent: options.httpAgent }),
    ...(options.httpsAgent === undefined ? {} : { httpsAgent: options.httpsAgent }),
  });
}
