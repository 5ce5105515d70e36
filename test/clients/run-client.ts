// Runs a real agent client to completion and collects what it printed.
import { spawn } from "node:child_process";

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines, parsed (the clients' --output-format stream-json / --json). */
  events: Array<Record<string, unknown>>;
}

export function runClient(binary: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs = 180_000): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const events = stdout.split("\n").flatMap((line) => {
        try { return [JSON.parse(line) as Record<string, unknown>]; } catch { return []; }
      });
      resolve({ code, stdout, stderr, events });
    });
  });
}
