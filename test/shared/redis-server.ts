// Debian's redis-server on a free loopback port, for the tests of shared state; no persistence.
import { spawn } from "node:child_process";
import { freePort } from "../free-port.js";

export interface RedisServer {
  port: number;
  url: string;
  /** Kills it (SIGKILL: as a crash would) and waits for it to go. */
  stop(): Promise<void>;
}

/** Starts redis-server, on `port` when given (to bring one back where it was). */
export async function startRedis(port?: number): Promise<RedisServer> {
  const listen = port ?? await freePort();
  const child = spawn("redis-server", ["--port", String(listen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    port: listen,
    url: `redis://127.0.0.1:${listen}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
