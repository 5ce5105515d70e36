// Every Gemini API endpoint, for the one list (protocols/endpoints.ts).
import type { Endpoint } from "../endpoint.js";
import { countTokensEndpoint } from "./count-tokens/endpoint.js";
import { batchEmbedContentsEndpoint, embedContentEndpoint } from "./embed-content/endpoint.js";
import { generateContentEndpoint, streamGenerateContentEndpoint } from "./generate-content/endpoint.js";
import { geminiModelEndpoint, geminiModelListEndpoint } from "./models/endpoints.js";

export const GEMINI_ENDPOINTS: Endpoint[] = [
  generateContentEndpoint,
  streamGenerateContentEndpoint,
  countTokensEndpoint,
  embedContentEndpoint,
  batchEmbedContentsEndpoint,
  geminiModelListEndpoint,
  geminiModelEndpoint,
];
