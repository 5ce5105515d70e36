// GET /api/version.
import type { VersionResponse } from "ollama";
import { defineEndpoint } from "../../endpoint.js";

/**
 * Ollama's clients compare this with the Ollama release that brought a feature they need (Continue's Granite setup
 * asks for 0.6.5 or later), so it is a release of Ollama's whose API this server speaks (think levels, tool call ids),
 * not LALS's own 0.1.0, which such a check would refuse.
 */
export const OLLAMA_API_VERSION = "0.12.0";

export const versionEndpoint = defineEndpoint({
  name: "ollama-version",
  protocol: "ollama",
  method: "GET",
  paths: ["/api/version"],
  answer: (): { type: "json"; body: VersionResponse } => ({ type: "json", body: { version: OLLAMA_API_VERSION } }),
});
