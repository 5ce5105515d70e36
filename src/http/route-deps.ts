// What every protocol plugin is given.
import type { Config } from "../config.js";
import type { ResponseCache } from "../core/response-cache.js";
import type { Router } from "../engines/router.js";

export interface RouteDeps {
  router: Router;
  config: Config;
  /** Aborts, with the reason given to clients, when the server stops waiting for in-flight requests at shutdown. */
  shutdown: AbortSignal;
  /** Set when ENABLE_CACHING is on. */
  cache: ResponseCache | undefined;
}
