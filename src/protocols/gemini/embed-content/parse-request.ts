// Gemini embedContent / batchEmbedContents requests → one canonical EmbedRequest, an input per request.
import type { EmbedRequest } from "../../../core/embed-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { BatchEmbedContentsRequestBody, EmbedContentRequestBody } from "./schema.js";

/** A field of the request at `prefix` (`requests[2]`, or "" for embedContent's body itself). */
const field = (prefix: string, name: string): string => (prefix === "" ? name : `${prefix}.${name}`);
const invalid = (param: string, message: string): GatewayError => new GatewayError("invalid_request", `${param}: ${message}`, { param });

/** A content's text parts, a line apart: the text to embed. */
function textOf(body: EmbedContentRequestBody, prefix: string): string {
  const texts = (body.content.parts ?? []).map((part, j) => {
    if (part.text == null) throw invalid(field(prefix, `content.parts[${j}]`), "only text can be embedded by this server.");
    return part.text;
  });
  const text = texts.filter((t) => t !== "").join("\n");
  if (text === "") throw invalid(field(prefix, "content"), "must hold some text to embed.");
  return text;
}

/** taskType and title change nothing for the models this server runs; every input must ask for the same dimensions. */
function embedRequest(bodies: readonly EmbedContentRequestBody[], model: string, prefix: (i: number) => string): EmbedRequest {
  const dimensions = bodies[0]?.outputDimensionality ?? undefined;
  bodies.forEach((body, i) => {
    const named = body.model?.replace(/^models\//, "");
    if (named != null && named !== model) throw invalid(field(prefix(i), "model"), `'${body.model}' is not the model of the path, 'models/${model}'.`);
    if ((body.outputDimensionality ?? undefined) !== dimensions) {
      throw invalid(field(prefix(i), "outputDimensionality"), "every request of a batch must ask for the same dimensions on this server.");
    }
  });
  return { model, inputs: bodies.map((body, i) => textOf(body, prefix(i))), ...(dimensions === undefined ? {} : { dimensions }) };
}

export function parseEmbedContentRequest(body: EmbedContentRequestBody, model: string): EmbedRequest {
  return embedRequest([body], model, () => "");
}

export function parseBatchEmbedContentsRequest(body: BatchEmbedContentsRequestBody, model: string): EmbedRequest {
  return embedRequest(body.requests, model, (i) => `requests[${i}]`);
}
