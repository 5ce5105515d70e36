// The Gemini API through Google's SDK: generateContent, streamGenerateContent (SSE) and countTokens.
import { ensure } from "./check-failure.js";
import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { PROMPT } from "./prompt.js";

/** Google's SDK keeps no status on a reply, and throws ApiError on anything but a 2xx: a reply means this. */
const OK = 200;

async function generate(context: ProbeContext): Promise<ProbeAnswer> {
  const ai = await context.sdks.gemini();
  const reply = await ai.models.generateContent({ model: context.model, contents: PROMPT, config: { maxOutputTokens: context.maxTokens, abortSignal: context.signal } });
  context.received(OK);
  ensure(typeof reply.text === "string" && reply.text !== "", "no text in the reply");
  ensure(reply.candidates?.[0]?.finishReason !== undefined, "no finishReason");
  return { outputTokens: reply.usageMetadata?.candidatesTokenCount ?? null };
}

async function generateStream(context: ProbeContext): Promise<ProbeAnswer> {
  const ai = await context.sdks.gemini();
  const stream = await ai.models.generateContentStream({ model: context.model, contents: PROMPT, config: { maxOutputTokens: context.maxTokens, abortSignal: context.signal } });
  context.received(OK);
  let deltas = 0;
  let finished = false;
  let tokens: number | undefined;
  for await (const chunk of stream) {
    const piece = chunk.text;
    if (typeof piece === "string" && piece !== "") {
      context.firstToken();
      deltas++;
    }
    finished ||= chunk.candidates?.[0]?.finishReason !== undefined;
    tokens = chunk.usageMetadata?.candidatesTokenCount ?? tokens;
  }
  ensure(deltas > 0, "no text in the chunks");
  ensure(finished, "no chunk with a finishReason");
  return { outputTokens: tokens ?? deltas };
}

async function countTokens(context: ProbeContext): Promise<ProbeAnswer> {
  const ai = await context.sdks.gemini();
  const counted = await ai.models.countTokens({ model: context.model, contents: PROMPT, config: { abortSignal: context.signal } });
  context.received(OK);
  ensure(typeof counted.totalTokens === "number" && counted.totalTokens > 0, "totalTokens is not positive");
  return { outputTokens: null };
}

export const GEMINI_PROBES: readonly Probe[] = [
  { name: "generateContent", protocol: "gemini", stream: false, group: "gemini", needsModel: true, run: generate },
  { name: "generateContent", protocol: "gemini", stream: true, group: "gemini", needsModel: true, run: generateStream },
  { name: "countTokens", protocol: "gemini", stream: false, group: "gemini", needsModel: true, run: countTokens },
];
