// POST models/{model}:generateContent and :streamGenerateContent.
import { randomId } from "../../../core/ids.js";
import { withKeepAliveComments } from "../../../core/sse.js";
import { defineEndpoint, type GenerateAnswer } from "../../endpoint.js";
import { choiceRequests } from "../../openai/sampling.js";
import type { ParseOptions } from "../../validate.js";
import { methodPaths } from "../paths.js";
import { generateContentClient } from "./client.js";
import { parseGenerateContentRequest } from "./parse-request.js";
import { renderGenerateContent } from "./render-response.js";
import { renderGenerateContentStream } from "./render-stream.js";
import { generateContentRequest, generateQuery, modelParams, type GenerateContentRequestBody } from "./schema.js";
import { framingFor, JSON_ARRAY_CONTENT_TYPE } from "./stream-framing.js";

/** Gemini's stream has no ping: over SSE, a comment every so often keeps idle timers from firing while a prompt is read. */
const KEEP_ALIVE_MS = 10_000;

/** Google's response ids: 22 or so characters, no prefix. */
const newResponseId = (): string => randomId(22);

function generate(body: GenerateContentRequestBody, model: string, options: ParseOptions, stream: boolean, alt: string | undefined): GenerateAnswer {
  const { request, includeThoughts, candidates } = parseGenerateContentRequest(body, model, options);
  const identity = { model, responseId: newResponseId(), includeThoughts, logprobs: request.sampling.logprobs !== undefined };
  const requests = choiceRequests(request, candidates);
  const framing = framingFor(alt);
  return {
    type: "generate",
    requests,
    stream,
    ...(framing === "json-array" ? { streamContentType: JSON_ARRAY_CONTENT_TYPE } : {}),
    renderStream: (events) => {
      const frames = renderGenerateContentStream(events, { ...identity, framing, candidates: requests.length });
      return framing === "sse" ? withKeepAliveComments(frames, KEEP_ALIVE_MS) : frames;
    },
    render: (results) => renderGenerateContent(results, identity),
  };
}


export const generateContentEndpoint = defineEndpoint({
  name: "gemini-generate-content",
  protocol: "gemini",
  method: "POST",
  paths: methodPaths("generateContent"),
  body: generateContentRequest,
  params: modelParams,
  query: generateQuery,
  client: generateContentClient,
  answer: ({ body, params, options }) => generate(body, params.model, options, false, undefined),
});

export const streamGenerateContentEndpoint = defineEndpoint({
  name: "gemini-stream-generate-content",
  protocol: "gemini",
  method: "POST",
  paths: methodPaths("streamGenerateContent"),
  body: generateContentRequest,
  params: modelParams,
  query: generateQuery,
  answer: ({ body, params, query, options }) => generate(body, params.model, options, true, query.alt),
});
