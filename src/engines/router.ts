// Maps the model a client asks for to the engine that serves it.
import { GatewayError } from "../core/gateway-error.js";
import type { Engine, ModelInfo } from "./engine.js";

export class Router {
  constructor(private readonly engines: readonly Engine[]) {}

  models(): ModelInfo[] {
    return this.engines.flatMap((engine) => engine.models());
  }

  /** The engine serving `model`, or a not_found error naming the models there are. */
  resolve(model: string): Engine {
    const engine = this.engines.find((e) => e.models().some((m) => m.id === model));
    if (engine === undefined) {
      const known = this.models().map((m) => m.id).join(", ");
      throw new GatewayError("not_found", `The model '${model}' does not exist. Available models: ${known}.`, { param: "model" });
    }
    return engine;
  }

  /** Fails with `unavailable` unless every engine is ready, for /health. */
  health(): { ready: boolean; reason?: string } {
    for (const engine of this.engines) {
      const health = engine.health();
      if (health.state === "loading") return { ready: false, reason: "model is loading" };
      if (health.state === "failed") return { ready: false, reason: `model failed to load: ${health.reason}` };
    }
    return { ready: true };
  }
}
