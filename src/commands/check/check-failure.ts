// The errors a probe throws on its own account (rather than an SDK's or fetch's): a wrong shape, an HTTP error seen
// through plain fetch.

/** The answer came but is not what the protocol promises; the message is the short reason the table shows. */
export class CheckFailure extends Error {
  override readonly name = "CheckFailure";
}

/** A non-2xx answer to a plain fetch, with its body parsed as JSON when it is JSON. */
export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(readonly status: number, readonly body: unknown) {
    super(`HTTP ${status}`);
  }
}

/** Throws a CheckFailure with `reason` unless `condition` holds. */
export function ensure(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new CheckFailure(reason);
}
