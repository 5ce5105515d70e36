// Ollama's keep_alive: how long a model stays loaded after a request, as seconds or a Go duration ("5m", "1h30m",
// "300ms"); negative keeps it loaded for good, 0 unloads it. A request with nothing to generate loads (or unloads) only.
import { z } from "zod";
import { GatewayError } from "../../core/gateway-error.js";
import { quoted } from "../../core/quoted.js";
import type { Answer } from "../endpoint.js";

export const keepAliveField = z.union([z.number(), z.string().max(64)]).nullish();

/** Ollama's default when keep_alive is absent. */
export const DEFAULT_KEEP_ALIVE_SECONDS = 300;

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, "μs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const GO_DURATION = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** Seconds, -1 for "keep it loaded"; undefined when absent. A malformed string is a 400. */
export function keepAliveSeconds(value: number | string | null | undefined): number | undefined {
  if (value == null) return undefined;
  if (typeof value === "number") return value < 0 ? -1 : value;
  const text = value.trim();
  // Go's parser wants a unit; clients send "-1" and "300" all the same, and reading them as seconds costs nothing.
  if (/^[+-]?\d+(?:\.\d+)?$/.test(text)) return keepAliveSeconds(Number(text));
  if (!GO_DURATION.test(text)) {
    throw new GatewayError("invalid_request", `keep_alive: '${quoted(text)}' is not a duration such as "5m" or "1h30m", nor a number of seconds.`, { param: "keep_alive" });
  }
  const seconds = [...text.matchAll(TERM)].reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_SECONDS[unit!]!, 0);
  return text.startsWith("-") ? -1 : seconds;
}

/** The answer to a request that only loads or unloads `model`; `render` is told which it was. */
export function keepAliveAnswer(model: string, keepAlive: number | string | null | undefined, render: (reason: "load" | "unload") => unknown): Answer {
  const seconds = keepAliveSeconds(keepAlive) ?? DEFAULT_KEEP_ALIVE_SECONDS;
  return { type: "keep_alive", model, seconds, render: () => render(seconds === 0 ? "unload" : "load") };
}

/** The warning of a generation that names a keep_alive: models stay loaded by this server's own idle rule. */
export const KEEP_ALIVE_WARNING = "keep_alive is not applied to a generation: models unload by this server's idle rule; send it with no messages (or an empty prompt) to load or unload a model.";
