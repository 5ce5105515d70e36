// How far LALS trusts an upstream server: what it reads of it, how long it waits for it, how much it asks of it at
// once. The defaults, in one place; LALS_CONFIG may override them per upstream model.

export interface UpstreamLimits {
  /** Most bytes of an error answer read (the rest is dropped unread). */
  maxErrorBodyBytes: number;
  /** Longest server-sent event (and so line) accepted; a longer one fails the request. */
  maxEventBytes: number;
  /** How long a replica may take to answer a request's headers, in ms; past it, the next replica is tried. */
  firstByteTimeoutMs: number;
  /** How long a stream may go without an event once it has begun, in ms. */
  idleTimeoutMs: number;
  /** Requests in flight at once on one replica; with every replica full, a request is refused as overloaded. */
  maxConcurrentPerReplica: number;
}

export const DEFAULT_UPSTREAM_LIMITS: UpstreamLimits = {
  maxErrorBodyBytes: 64 * 1024,
  maxEventBytes: 1024 * 1024,
  // A long prompt on a busy server takes a while before its first token; a server that says nothing for this long is gone.
  firstByteTimeoutMs: 120_000,
  idleTimeoutMs: 60_000,
  maxConcurrentPerReplica: 64,
};
