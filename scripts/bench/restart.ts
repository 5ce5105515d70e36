// The agent replay's restart step: a server started by the bench serves an agent session's first turn, is stopped
// (SIGTERM, as a service manager stops it) and started again, and a new session with the same system prompt and tools
// but another task asks its first turn. Reports both first turns' TTFT and what the second read from cache.
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { agentSession, type AgentSessionOptions, type AgentTurn } from "./agent-session.js";
import type { Target } from "./stream-chat.js";

export interface RestartResult {
  cold: AgentTurn;
  warm: AgentTurn;
}

/** Runs `command` (a shell command line that serves `target`) in a process group of its own. */
function start(command: string): ChildProcess {
  return spawn(command, { shell: true, detached: true, stdio: "ignore" });
}

async function ready(target: Target, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(`${target.base}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(250);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid!, "SIGTERM");
  await exited;
  // The group's other processes (a shell's child) are gone too before the port is reused.
  await sleep(500);
}

export async function restartScenario(target: Target, command: string, session: Omit<AgentSessionOptions, "turns" | "question">): Promise<RestartResult> {
  let child = start(command);
  try {
    await ready(target, child);
    const [cold] = await agentSession(target, { ...session, turns: 1, question: "Find where the slot scheduler releases slots and explain it." });
    await stop(child);
    child = start(command);
    await ready(target, child);
    const [warm] = await agentSession(target, { ...session, turns: 1, question: "Add a test for the prompt cache's budget and run it." });
    return { cold: cold!, warm: warm! };
  } finally {
    if (child.exitCode === null) await stop(child);
  }
}
