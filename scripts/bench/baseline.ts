// The in-process baseline: node-llama-cpp alone on the same model, threads and sequences, generating the same chat
// replies the gateway is asked for — what LALS would reach if HTTP, protocols and scheduling cost nothing.
import { LlamaChat, resolveChatWrapper, type LlamaContextSequence } from "node-llama-cpp";
import pino from "pino";
import { configureLlamaBinding, loadLlama, type BindingChoice } from "../../src/engines/llama/llama-binding.js";

export interface BaselineOptions {
  modelPath: string;
  threads: number;
  sequences: number;
  contextSize: number;
  maxTokens: number;
}

export interface Baseline {
  /** Aggregate generated tokens per second with `concurrency` replies in flight, `rounds` each. */
  tokensPerSecond(concurrency: number, rounds: number): Promise<number>;
  dispose(): Promise<void>;
}

export async function loadBaseline(options: BaselineOptions): Promise<Baseline> {
  // The binding LALS would load with the same MODEL_BINARY (the local build, when there is one, by default).
  configureLlamaBinding({ choice: (process.env.MODEL_BINARY ?? "auto") as BindingChoice, threadPoll: Number(process.env.MODEL_THREAD_POLL ?? 50) });
  const llama = await loadLlama(pino({ level: "silent" }));
  // Read, not mapped, as LALS loads it by default (MODEL_MMAP=false).
  const model = await llama.loadModel({ modelPath: options.modelPath, useMmap: false });
  const context = await model.createContext({ contextSize: options.contextSize, sequences: options.sequences, threads: options.threads });
  const free: LlamaContextSequence[] = Array.from({ length: options.sequences }, () => context.getSequence());
  const waiting: Array<(sequence: LlamaContextSequence) => void> = [];
  const acquire = (): Promise<LlamaContextSequence> => {
    const sequence = free.pop();
    return sequence !== undefined ? Promise.resolve(sequence) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (sequence: LlamaContextSequence): void => {
    const next = waiting.shift();
    if (next !== undefined) next(sequence);
    else free.push(sequence);
  };
  const chatWrapper = resolveChatWrapper(model);

  async function reply(id: number): Promise<number> {
    const sequence = await acquire();
    try {
      const before = sequence.tokenMeter.usedOutputTokens;
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
      await chat.generateResponse([
        { type: "user", text: `Request ${id}: write a long story about a lighthouse keeper.` },
        { type: "model", response: [] },
      ], { maxTokens: options.maxTokens, temperature: 0.7, topP: 0.9, seed: id });
      chat.dispose({ disposeSequence: false });
      return Math.min(options.maxTokens, sequence.tokenMeter.usedOutputTokens - before);
    } finally {
      release(sequence);
    }
  }

  let next = 0;
  return {
    async tokensPerSecond(concurrency, rounds) {
      const started = performance.now();
      const tokens = await Promise.all(Array.from({ length: concurrency }, async () => {
        let sum = 0;
        for (let r = 0; r < rounds; r++) sum += await reply(next++);
        return sum;
      }));
      return tokens.reduce((a, b) => a + b, 0) / ((performance.now() - started) / 1000);
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}
