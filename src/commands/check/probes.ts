// The fixed set `lals check` runs against each server, in this order: one protocol after another.
import { ANTHROPIC_PROBES } from "./anthropic-probes.js";
import { GEMINI_PROBES } from "./gemini-probes.js";
import { HEALTH_PROBE } from "./health-probe.js";
import { OLLAMA_PROBES } from "./ollama-probes.js";
import { OPENAI_PROBES } from "./openai-probes.js";
import type { Probe } from "./probe.js";

export const PROBES: readonly Probe[] = [HEALTH_PROBE, ...OPENAI_PROBES, ...ANTHROPIC_PROBES, ...GEMINI_PROBES, ...OLLAMA_PROBES];
