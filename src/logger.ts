// The process logger: readable lines by default, one JSON object per line with LOG_FORMAT=json.
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export function createLogger(config: Pick<Config, "LOG_LEVEL" | "LOG_FORMAT">): Logger {
  if (config.LOG_FORMAT === "json") return pino({ level: config.LOG_LEVEL });
  return pino({
    level: config.LOG_LEVEL,
    transport: { target: "pino-pretty", options: { destination: 2, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } },
  });
}
