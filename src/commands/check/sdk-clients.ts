// The official SDKs' clients for one server, each imported and built on first use, so that `lals serve` never loads
// them and a missing SDK fails only its own protocol's probes.
import type OpenAI from "openai";
import type Anthropic from "@anthropic-ai/sdk";
import type { GoogleGenAI } from "@google/genai";
import { CheckFailure } from "./check-failure.js";

/** The SDKs insist on a key; without one they send this, which a keyless server ignores and a keyed one refuses. */
const NO_KEY = "none";

export interface ClientSettings {
  /** The server's root, without a trailing slash. */
  url: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

/** The SDKs' own timeouts come this much after the probe's deadline, so every timeout is the probe's and reads the same. */
const SDK_TIMEOUT_GRACE_MS = 1000;

const isModuleNotFound = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && error.code === "ERR_MODULE_NOT_FOUND";

/** Imports an SDK, turning its absence into a probe failure that says what to install. */
async function importSdk<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error)) throw new CheckFailure(`the ${name} package is not installed (npm install ${name})`);
    throw error;
  }
}

export class SdkClients {
  #openai: Promise<OpenAI> | undefined;
  #anthropic: Promise<Anthropic> | undefined;
  #gemini: Promise<GoogleGenAI> | undefined;

  constructor(private readonly settings: ClientSettings) {}

  private get key(): string {
    return this.settings.apiKey ?? NO_KEY;
  }

  private get timeout(): number {
    return this.settings.timeoutMs + SDK_TIMEOUT_GRACE_MS;
  }

  /** Imports and builds every client now, so no probe's timing includes loading an SDK; a failure waits for its probe. */
  async warm(): Promise<void> {
    await Promise.allSettled([this.openai(), this.anthropic(), this.gemini()]);
  }

  /** OpenAI's client on `<url>/v1`; the organization and project are set to none so the environment adds no headers. */
  openai(): Promise<OpenAI> {
    this.#openai ??= importSdk("openai", () => import("openai")).then(({ default: Client }) => new Client({
      baseURL: `${this.settings.url}/v1`, apiKey: this.key, organization: null, project: null, maxRetries: 0, timeout: this.timeout,
    }));
    return this.#openai;
  }

  /** Anthropic's client; it sends the key as `x-api-key`. */
  anthropic(): Promise<Anthropic> {
    this.#anthropic ??= importSdk("@anthropic-ai/sdk", () => import("@anthropic-ai/sdk")).then(({ default: Client }) => new Client({
      baseURL: this.settings.url, apiKey: this.key, maxRetries: 0, timeout: this.timeout,
    }));
    return this.#anthropic;
  }

  /** Google's client for the Gemini API (never Vertex AI, whatever the environment says); it sends `x-goog-api-key`. */
  gemini(): Promise<GoogleGenAI> {
    this.#gemini ??= importSdk("@google/genai", () => import("@google/genai")).then(({ GoogleGenAI: Client }) => new Client({
      apiKey: this.key, vertexai: false, httpOptions: { baseUrl: this.settings.url, timeout: this.timeout },
    }));
    return this.#gemini;
  }
}
