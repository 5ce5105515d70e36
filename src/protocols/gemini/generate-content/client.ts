// The client half of models/{model}:streamGenerateContent, for upstream engines.
import { GatewayError } from "../../../core/gateway-error.js";
import type { ProtocolClient } from "../../../core/protocol-client.js";
import type { GeminiResponse } from "../wire-types.js";
import { buildGenerateContentRequest } from "./build-request.js";
import { GenerateContentStreamParser, upstreamError, type GeminiErrorChunk } from "./parse-stream.js";

const isErrorChunk = (data: unknown): data is GeminiErrorChunk =>
  typeof data === "object" && data !== null && typeof (data as { error?: unknown }).error === "object" && (data as { error?: unknown }).error !== null;

export const generateContentClient: ProtocolClient = {
  path: (model) => `/models/${model}:streamGenerateContent?alt=sse`,
  headers: (apiKey): Record<string, string> => (apiKey === undefined ? {} : { "x-goog-api-key": apiKey }),
  body: (request) => buildGenerateContentRequest(request),
  parser() {
    const parser = new GenerateContentStreamParser();
    return {
      feed(data) {
        if (isErrorChunk(data)) throw upstreamError(data);
        if (typeof data !== "object" || data === null) throw new GatewayError("upstream", "Upstream: a stream chunk is not a JSON object.");
        return parser.feed(data as GeminiResponse);
      },
      finish: () => parser.finish(),
    };
  },
};
