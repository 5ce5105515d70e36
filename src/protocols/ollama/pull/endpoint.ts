// POST /api/pull: a configured local model's GGUF fetched ahead of its first use (what `lals pull` does), with Ollama's
// progress lines. Only configured models: a client can make the server download what its operator named, nothing else.
import { z } from "zod";
import { GatewayError, toGatewayError } from "../../../core/gateway-error.js";
import { modelField } from "../../bounded-fields.js";
import { defineEndpoint, type PullEvent } from "../../endpoint.js";
import { NDJSON_CONTENT_TYPE, ndjsonLine } from "../ndjson.js";

const pullRequest = z.looseObject({
  model: modelField.nullish(),
  /** The older name of `model`. */
  name: modelField.nullish(),
  stream: z.boolean().nullish(),
  insecure: z.boolean().nullish(),
});

const SUCCESS = { status: "success" } as const;

/** Ollama's lines: the manifest, the one layer (the GGUF) with its bytes, then success; a failure as `{error}`. */
export async function* renderPullStream(events: AsyncIterable<PullEvent>, model: string): AsyncGenerator<string> {
  yield ndjsonLine({ status: "pulling manifest" });
  try {
    for await (const event of events) {
      yield ndjsonLine(event.type === "progress" ? { status: `pulling ${model}`, digest: model, total: event.total, completed: event.completed } : SUCCESS);
    }
  } catch (error) {
    yield ndjsonLine({ error: toGatewayError(error).message });
  }
}

export const pullEndpoint = defineEndpoint({
  name: "ollama-pull",
  protocol: "ollama",
  method: "POST",
  paths: ["/api/pull"],
  body: pullRequest,
  answer({ body }) {
    const model = body.model ?? body.name;
    if (model == null) throw new GatewayError("invalid_request", "model is required", { param: "model" });
    return {
      type: "pull",
      model,
      stream: body.stream !== false,
      streamContentType: NDJSON_CONTENT_TYPE,
      renderStream: (events) => renderPullStream(events, model),
      render: () => SUCCESS,
    };
  },
});
