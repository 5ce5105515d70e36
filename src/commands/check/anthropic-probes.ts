// Anthropic's Messages API through its SDK: whole, streamed (the SDK's MessageStream), and count_tokens.
import type { Message } from "@anthropic-ai/sdk/resources/messages";
import { ensure } from "./check-failure.js";
import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { PROMPT } from "./prompt.js";

const messages = [{ role: "user" as const, content: PROMPT }];

/** A finished message: text in its content, a stop reason, output tokens counted. */
function ensureMessage(message: Message): number {
  const text = (message.content ?? []).map((block) => (block.type === "text" ? block.text : "")).join("");
  ensure(text !== "", "no text in the reply");
  ensure(typeof message.stop_reason === "string", "no stop_reason");
  const tokens = message.usage?.output_tokens;
  ensure(typeof tokens === "number" && tokens > 0, "usage.output_tokens is not positive");
  return tokens;
}

async function create(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.anthropic();
  const { data, response } = await client.messages
    .create({ model: context.model, max_tokens: context.maxTokens, messages }, { signal: context.signal })
    .withResponse();
  context.received(response.status);
  return { outputTokens: ensureMessage(data) };
}

async function stream(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.anthropic();
  const stream = client.messages.stream({ model: context.model, max_tokens: context.maxTokens, messages }, { signal: context.signal });
  stream.on("text", (delta) => {
    if (delta !== "") context.firstToken();
  });
  const message = await stream.finalMessage();
  context.received((await stream.withResponse()).response.status);
  return { outputTokens: ensureMessage(message) };
}

async function countTokens(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.anthropic();
  const { data, response } = await client.messages.countTokens({ model: context.model, messages }, { signal: context.signal }).withResponse();
  context.received(response.status);
  ensure(typeof data.input_tokens === "number" && data.input_tokens > 0, "input_tokens is not positive");
  return { outputTokens: null };
}

export const ANTHROPIC_PROBES: readonly Probe[] = [
  { name: "messages", protocol: "anthropic", stream: false, group: "anthropic", needsModel: true, run: create },
  { name: "messages", protocol: "anthropic", stream: true, group: "anthropic", needsModel: true, run: stream },
  { name: "count_tokens", protocol: "anthropic", stream: false, group: "anthropic count_tokens", needsModel: true, run: countTokens },
];
