// What the endpoint server and the service routes are given.
import type { Config } from "../config.js";
import type { ReplyCache } from "../core/response-cache.js";
import type { Router } from "../engines/router.js";
import type { EndpointState } from "../protocols/endpoint.js";
import type { TenantShares } from "./tenant-shares.js";

export interface RouteDeps {
  router: Router;
  config: Config;
  /** Aborts when the server stops waiting for in-flight requests at shutdown: their generations end with an error event. */
  shutdown: AbortSignal;
  /** Set when ENABLE_CACHING is on. */
  cache: ReplyCache | undefined;
  /** What the endpoints keep between requests (stored responses), for as long as the server runs. */
  state: EndpointState;
  /** Each tenant's share of the generations running at once. */
  shares: TenantShares;
}
