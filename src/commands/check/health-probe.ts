// GET /health, which LALS, llama-server and vLLM answer with 200 once the model is loaded (vendors have none: n/a).
import { bearer, fetchOk } from "./fetch-ok.js";
import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";

async function health(context: ProbeContext): Promise<ProbeAnswer> {
  const response = await fetchOk(`${context.url}/health`, { headers: bearer(context.apiKey), signal: context.signal });
  context.received(response.status);
  await response.body?.cancel();
  return { outputTokens: null };
}

export const HEALTH_PROBE: Probe = { name: "health", protocol: "health", stream: false, group: "health", needsModel: false, run: health };
