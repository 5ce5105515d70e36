// POST models/{model}:countTokens: the exact input tokens generateContent would read for the same request.
import type * as genai from "@google/genai";
import { defineEndpoint } from "../../endpoint.js";
import { modelParams } from "../generate-content/schema.js";
import { methodPaths } from "../paths.js";
import { parseCountTokensRequest } from "./parse-request.js";
import { countTokensRequest } from "./schema.js";

export const countTokensEndpoint = defineEndpoint({
  name: "gemini-count-tokens",
  protocol: "gemini",
  method: "POST",
  paths: methodPaths("countTokens"),
  body: countTokensRequest,
  params: modelParams,
  answer: ({ body, params, options }) => ({
    type: "count_tokens",
    request: parseCountTokensRequest(body, params.model, options),
    render: (count): Pick<genai.CountTokensResponse, "totalTokens"> => ({ totalTokens: count }),
  }),
});
