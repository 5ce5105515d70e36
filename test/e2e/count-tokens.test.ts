// count_tokens and input_tokens against an independent count: the test renders each conversation itself with
// node-llama-cpp's own chat wrapper for the fixture's template and tokenizes it, never through LALS's code.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { getLlama, resolveChatWrapper, type ChatHistoryItem, type LlamaModel } from "node-llama-cpp";
import OpenAI from "openai";
import { fixtureModel, startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let model: LlamaModel;

before(async () => {
  server = await startServer({ env: { MODEL_N_CTX: "1024" } });
  model = await (await getLlama({ gpu: false })).loadModel({ modelPath: await fixtureModel() });
});
after(async () => {
  await model.dispose();
  assert.equal(await server.stop(), 0);
});

/** Tokens of the prompt the fixture's template makes of `history`, ending where the model's answer begins. */
function independentCount(history: ChatHistoryItem[], thoughts: "auto" | "discourage"): number {
  const wrapper = resolveChatWrapper(model, { customWrapperSettings: { qwen: { thoughts } } });
  return wrapper.generateContextState({ chatHistory: [...history, { type: "model", response: [] }] }).contextText.tokenize(model.tokenizer).length;
}

const CONVERSATIONS: { system?: string; turns: string[] }[] = [
  { turns: ["Count me"] },
  { system: "System text, with a few more words in it.", turns: ["a", "b", "c"] },
  { turns: ["The first question, a longer one than the others", "An answer", "A follow-up"] },
];

function historyOf({ system, turns }: (typeof CONVERSATIONS)[number]): ChatHistoryItem[] {
  return [
    ...(system === undefined ? [] : [{ type: "system" as const, text: system }]),
    ...turns.map((text, i): ChatHistoryItem => (i % 2 === 0 ? { type: "user", text } : { type: "model", response: [text] })),
  ];
}

const roles = (turns: string[]) => turns.map((content, i) => ({ role: i % 2 === 0 ? "user" as const : "assistant" as const, content }));

test("Anthropic's count_tokens is the token count of the rendered prompt", async () => {
  const client = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
  for (const conversation of CONVERSATIONS) {
    for (const thinking of [undefined, { type: "disabled" as const }]) {
      const counted = await client.messages.countTokens({
        model: MODEL, messages: roles(conversation.turns), ...(conversation.system === undefined ? {} : { system: conversation.system }), ...(thinking === undefined ? {} : { thinking }),
      });
      assert.equal(counted.input_tokens, independentCount(historyOf(conversation), thinking === undefined ? "auto" : "discourage"), JSON.stringify({ conversation, thinking }));
    }
  }
});

test("Responses' input_tokens is the token count of the rendered prompt", async () => {
  for (const conversation of CONVERSATIONS) {
    const response = await fetch(`${server.baseUrl}/v1/responses/input_tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, input: roles(conversation.turns), ...(conversation.system === undefined ? {} : { instructions: conversation.system }) }),
    });
    const body = await response.json() as { input_tokens: number };
    assert.equal(body.input_tokens, independentCount(historyOf(conversation), "auto"), JSON.stringify(conversation));
  }
});

test("a generation's reported input tokens agree with the independent count", async () => {
  const client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
  for (const conversation of CONVERSATIONS) {
    const completion = await client.chat.completions.create({
      model: MODEL, max_tokens: 1,
      messages: [...(conversation.system === undefined ? [] : [{ role: "system" as const, content: conversation.system }]), ...roles(conversation.turns)],
    });
    assert.equal(completion.usage?.prompt_tokens, independentCount(historyOf(conversation), "auto"), JSON.stringify(conversation));
  }
});

test("a prompt whose text cannot fit the context is refused before it is tokenized, when counted and when generated", async () => {
  // 8 M characters: tokenized whole, 5.3 M tokens and seconds of a blocked event loop; the context holds 1,024.
  const huge = "lorem ipsum dolor sit amet ".repeat(300_000);
  const anthropic = new Anthropic({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 });
  await assert.rejects(anthropic.messages.countTokens({ model: MODEL, messages: [{ role: "user", content: huge }] }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.BadRequestError, String(error));
    assert.match(error.message, /at least \d+ tokens long, but the model's context holds 1024/);
    return true;
  });
  const openai = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
  await assert.rejects(openai.chat.completions.create({ model: MODEL, max_tokens: 4, messages: [{ role: "user", content: huge }] }), (error: unknown) => {
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    assert.equal(error.param, "messages");
    return true;
  });
});
