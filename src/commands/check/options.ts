// `lals check URL [URL2] [options]`: the command line, parsed and checked.
import { parseArgs } from "node:util";
import { ConfigError } from "../../config.js";

export const CHECK_USAGE = `usage: lals check URL [URL2] [options]

Verifies one or two deployments (LALS, llama-server, vLLM, Ollama, a vendor's API): sends a short fixed set of
requests through every protocol the server offers (health, OpenAI models/chat.completions/responses, Anthropic
messages/count_tokens, Gemini generateContent/countTokens, Ollama version/chat; streamed and not), checks each answer's
shape with the official SDKs, and prints them side by side. A protocol answered with 404 or 405 is "n/a", not a
failure. Exits 1 if any offered probe failed.

  URL, URL2         each server's root, e.g. http://127.0.0.1:8000 (a trailing /v1 is dropped)
  --api-key K       the key to send (to both servers, unless --api-key2)
  --api-key2 K      the key for URL2
  --model M         the model to ask for (on both, unless --model2); default: the first one the server lists
                    (GET /v1/models, else /api/tags, else /v1beta/models)
  --model2 M        the model for URL2
  --max-tokens N    the output budget of each generating request; default 16 (a thinking model may need more)
  --timeout S       seconds each request may take; default 60
  --json            print {servers: [{url, model, checks: [...]}]} instead of the table
  -h, --help        this text
`;

export interface ServerOptions {
  url: string;
  apiKey: string | undefined;
  model: string | undefined;
}

export interface CheckOptions {
  servers: ServerOptions[];
  json: boolean;
  timeoutMs: number;
  maxTokens: number;
}

const misuse = (why: string): ConfigError => new ConfigError(`${why}\n\n${CHECK_USAGE}`);

/** A server's root URL: http or https, without a trailing slash or /v1 (the probes add their paths). */
export function serverRoot(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw misuse(`'${text}' is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw misuse(`'${text}' is not an http or https URL`);
  if (url.search !== "" || url.hash !== "") throw misuse(`'${text}' should have no query or fragment`);
  return url.href.replace(/\/+$/, "").replace(/\/v1$/, "");
}

function positive(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  const fits = Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!fits) throw misuse(`${flag} must be a positive ${integer ? "whole number" : "number"}, not '${text}'`);
  return value;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        "api-key": { type: "string" },
        "api-key2": { type: "string" },
        model: { type: "string" },
        model2: { type: "string" },
        "max-tokens": { type: "string", default: "16" },
        timeout: { type: "string", default: "60" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw misuse(error instanceof Error ? error.message : String(error));
  }
}

/** The options, or "help" when usage was asked for; throws ConfigError (exit 2) on a misuse. */
export function parseCheckOptions(argv: readonly string[]): CheckOptions | "help" {
  const { values, positionals } = parse(argv);
  if (values.help) return "help";
  if (positionals.length === 0) throw misuse("a server URL is missing");
  if (positionals.length > 2) throw misuse(`at most two URLs, not ${positionals.length}`);
  if (positionals.length === 1 && (values["api-key2"] !== undefined || values.model2 !== undefined)) throw misuse("--api-key2 and --model2 need a second URL");
  const [first, second] = positionals.map(serverRoot);
  const servers: ServerOptions[] = [{ url: first!, apiKey: values["api-key"], model: values.model }];
  if (second !== undefined) servers.push({ url: second, apiKey: values["api-key2"] ?? values["api-key"], model: values.model2 ?? values.model });
  return {
    servers,
    json: values.json,
    timeoutMs: positive("--timeout", values.timeout, false) * 1000,
    maxTokens: positive("--max-tokens", values["max-tokens"], true),
  };
}
