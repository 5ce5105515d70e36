// GET /api/tags, POST /api/show, GET /api/ps: the served models as Ollama describes them.
import { GatewayError } from "../../../core/gateway-error.js";
import { quoted } from "../../../core/quoted.js";
import { defineEndpoint } from "../../endpoint.js";
import { SYSTEM_CLOCK } from "../reply-context.js";
import { isOllamaModel } from "./details.js";
import { renderPs } from "./render-ps.js";
import { renderShow } from "./render-show.js";
import { renderTags } from "./render-tags.js";
import { showRequest } from "./schema.js";

export const tagsEndpoint = defineEndpoint({
  name: "ollama-tags",
  protocol: "ollama",
  method: "GET",
  paths: ["/api/tags"],
  answer: () => ({ type: "models", withFiles: true, render: renderTags }),
});

export const showEndpoint = defineEndpoint({
  name: "ollama-show",
  protocol: "ollama",
  method: "POST",
  paths: ["/api/show"],
  body: showRequest,
  answer({ body }) {
    const name = body.model ?? body.name;
    if (name == null) throw new GatewayError("invalid_request", "model is required", { param: "model" });
    return {
      type: "models",
      withFiles: true,
      render(models) {
        const model = models.find((m) => m.id === name && isOllamaModel(m));
        if (model === undefined) throw new GatewayError("not_found", `model '${quoted(name)}' not found`, { param: "model" });
        return renderShow(model);
      },
    };
  },
});

export const psEndpoint = defineEndpoint({
  name: "ollama-ps",
  protocol: "ollama",
  method: "GET",
  paths: ["/api/ps"],
  answer: () => ({ type: "models", withFiles: true, render: (models) => renderPs(models, SYSTEM_CLOCK) }),
});
