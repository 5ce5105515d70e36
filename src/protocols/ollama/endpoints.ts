// Every endpoint of Ollama's API that LALS serves.
import type { Endpoint } from "../endpoint.js";
import { chatEndpoint } from "./chat/endpoint.js";
import { embeddingsEndpoint, embedEndpoint } from "./embed/endpoints.js";
import { generateEndpoint } from "./generate/endpoint.js";
import { psEndpoint, showEndpoint, tagsEndpoint } from "./models/endpoints.js";
import { pullEndpoint } from "./pull/endpoint.js";
import { versionEndpoint } from "./version/endpoint.js";

export const OLLAMA_ENDPOINTS: Endpoint[] = [chatEndpoint, generateEndpoint, embedEndpoint, embeddingsEndpoint, tagsEndpoint, showEndpoint, psEndpoint, pullEndpoint, versionEndpoint];
