// OpenAI's API through its SDK: the model list, chat completions and Responses, each whole and streamed.
import type { Response as OpenAIResponse, ResponseStreamEvent } from "openai/resources/responses/responses";
import { ensure } from "./check-failure.js";
import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { PROMPT } from "./prompt.js";

const messages = [{ role: "user" as const, content: PROMPT }];

async function listModels(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.openai();
  const { data: page, response } = await client.models.list({ signal: context.signal }).withResponse();
  context.received(response.status);
  ensure(Array.isArray(page.data) && page.data.length > 0, "no model in the list");
  ensure(page.data.every((model) => typeof model.id === "string" && model.id !== ""), "a model without a string id");
  return { outputTokens: null };
}

async function chat(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.openai();
  const { data, response } = await client.chat.completions
    .create({ model: context.model, messages, max_tokens: context.maxTokens }, { signal: context.signal })
    .withResponse();
  context.received(response.status);
  const choice = data.choices?.[0];
  ensure(choice !== undefined, "no choices");
  ensure(typeof choice.message?.content === "string" && choice.message.content !== "", "no text in the reply");
  ensure(typeof choice.finish_reason === "string", "no finish_reason");
  const tokens = data.usage?.completion_tokens;
  ensure(typeof tokens === "number" && tokens > 0, "usage.completion_tokens is not positive");
  return { outputTokens: tokens };
}

async function chatStream(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.openai();
  const { data: stream, response } = await client.chat.completions
    .create({ model: context.model, messages, max_tokens: context.maxTokens, stream: true, stream_options: { include_usage: true } }, { signal: context.signal })
    .withResponse();
  context.received(response.status);
  let text = "";
  let finishReason: string | null = null;
  let tokens: number | undefined;
  for await (const chunk of stream) {
    const choice = chunk.choices?.[0];
    const piece = choice?.delta?.content;
    if (typeof piece === "string" && piece !== "") {
      context.firstToken();
      text += piece;
    }
    finishReason = choice?.finish_reason ?? finishReason;
    tokens = chunk.usage?.completion_tokens ?? tokens;
  }
  ensure(text !== "", "no text in the deltas");
  ensure(finishReason !== null, "no finish_reason");
  ensure(typeof tokens === "number" && tokens > 0, "no usage chunk with completion_tokens > 0");
  return { outputTokens: tokens };
}

/** A Response that ended as it should: completed, or cut short by the token budget the probe set. */
function ensureFinished(response: OpenAIResponse): void {
  const cut = response.status === "incomplete" && response.incomplete_details?.reason === "max_output_tokens";
  ensure(response.status === "completed" || cut, `status ${String(response.status)}, not completed`);
}

async function responses(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.openai();
  const { data, response } = await client.responses
    .create({ model: context.model, input: PROMPT, max_output_tokens: context.maxTokens, store: false }, { signal: context.signal })
    .withResponse();
  context.received(response.status);
  ensureFinished(data);
  ensure(typeof data.output_text === "string" && data.output_text !== "", "no text in the reply");
  return { outputTokens: data.usage?.output_tokens ?? null };
}

async function responsesStream(context: ProbeContext): Promise<ProbeAnswer> {
  const client = await context.sdks.openai();
  const { data: stream, response } = await client.responses
    .create({ model: context.model, input: PROMPT, max_output_tokens: context.maxTokens, store: false, stream: true }, { signal: context.signal })
    .withResponse();
  context.received(response.status);
  let deltas = 0;
  let last: ResponseStreamEvent | undefined;
  for await (const event of stream) {
    if (event.type === "response.output_text.delta" && event.delta !== "") {
      context.firstToken();
      deltas++;
    }
    last = event;
  }
  ensure(deltas > 0, "no response.output_text.delta");
  ensure(last?.type === "response.completed" || last?.type === "response.incomplete", `the stream ended with ${last?.type ?? "nothing"}, not response.completed`);
  ensureFinished(last.response);
  return { outputTokens: last.response.usage?.output_tokens ?? deltas };
}

const openai = (name: string, group: string, stream: boolean, needsModel: boolean, run: Probe["run"]): Probe =>
  ({ name, protocol: "openai", stream, group, needsModel, run });

export const OPENAI_PROBES: readonly Probe[] = [
  openai("models", "openai", false, false, listModels),
  openai("chat.completions", "openai", false, true, chat),
  openai("chat.completions", "openai", true, true, chatStream),
  openai("responses", "openai responses", false, true, responses),
  openai("responses", "openai responses", true, true, responsesStream),
];
