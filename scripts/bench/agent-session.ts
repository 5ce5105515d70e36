// An agent session as Claude Code and Codex make them: a long system prompt with tool schemas, turns that each add a
// tool call and its result and ask for a short answer, and a short unrelated side request (a title, a summary)
// between turns. Reports each turn's TTFT and how much of its prompt the server read from cache.
import { readFileSync } from "node:fs";
import { streamChat, type BenchMessage, type Target } from "./stream-chat.js";

export interface AgentTurn {
  turn: number;
  promptTokens: number;
  cachedTokens: number;
  ttftMs: number;
  sideTtftMs: number;
}

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** Text of about `chars` characters: this project's README, repeated, each copy numbered so no two are identical. */
function prose(chars: number): string {
  let text = "";
  for (let copy = 1; text.length < chars; copy++) text += `\n\n## Reference, part ${copy}\n\n${README}`;
  return text.slice(0, chars);
}

const TOOLS = ["read_file", "write_file", "edit_file", "list_directory", "search_code", "run_command", "fetch_url", "ask_user", "plan", "test"].map((name, i) => ({
  type: "function" as const,
  function: {
    name,
    description: `${name.replaceAll("_", " ")}: ${README.slice(i * 400, i * 400 + 400).replace(/\s+/g, " ")}`,
    parameters: {
      type: "object",
      properties: { path: { type: "string", description: "A path in the workspace" }, content: { type: "string" }, recursive: { type: "boolean" }, limit: { type: "integer" } },
      required: ["path"],
      additionalProperties: false,
    },
  },
}));

export interface AgentSessionOptions {
  turns: number;
  /** Characters of system prompt; ~4 per token with a real tokenizer. */
  systemChars: number;
  /** Characters of each tool result. */
  resultChars: number;
  answerTokens: number;
  /** The task the session starts with. Default: one about the slot scheduler. */
  question?: string;
}

export async function agentSession(target: Target, options: AgentSessionOptions): Promise<AgentTurn[]> {
  const messages: BenchMessage[] = [
    { role: "system", content: `You are a coding agent working in a repository.${prose(options.systemChars)}` },
    { role: "user", content: options.question ?? "Find where the slot scheduler releases slots and explain it." },
  ];
  const rows: AgentTurn[] = [];
  for (let turn = 1; turn <= options.turns; turn++) {
    const main = await streamChat(target, messages, options.answerTokens, { tools: TOOLS, temperature: 0 });
    const side = await streamChat(target, [
      { role: "system", content: "Write a five-word title for this conversation." },
      { role: "user", content: `Turn ${turn}: ${messages[1]!.content as string}` },
    ], 8, { temperature: 0 });
    rows.push({ turn, promptTokens: main.promptTokens, cachedTokens: main.cachedTokens, ttftMs: main.ttftMs, sideTtftMs: side.ttftMs });
    const id = `call_${turn}`;
    messages.push(
      { role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name: "read_file", arguments: JSON.stringify({ path: `src/file-${turn}.ts` }) } }] },
      { role: "tool", tool_call_id: id, content: `// src/file-${turn}.ts\n${prose(options.resultChars * (turn + 1)).slice(options.resultChars * turn)}` },
    );
  }
  return rows;
}
