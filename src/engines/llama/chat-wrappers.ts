// The model's chat format in the variants a request can ask for, all built from the one node-llama-cpp resolved:
// thinking left to the model, forced open, or discouraged; and any of them starting directly in a function call.
// Resolving renders the GGUF's Jinja template dozens of times on the main thread (about half a second for Qwen3's,
// twice per load), so the variants are resolved once per file and kept for the process: a model unloaded and loaded
// again on demand reuses them. The wrappers hold nothing of the model they were resolved for (node-llama-cpp reads
// the tokenizer only while resolving), which is what makes them reusable.
import { statSync } from "node:fs";
import { LlamaText, resolveChatWrapper, type ChatWrapper, type ChatWrapperGenerateContextStateOptions, type ChatWrapperGeneratedContextState, type LlamaModel, type ResolveChatWrapperWithModelOptions } from "node-llama-cpp";

export type ThinkingMode = "auto" | "on" | "off";

/** node-llama-cpp's resolveChatWrapper, as ChatWrappers calls it (a seam for counting calls in tests). */
export type ResolveChatWrapper = (model: LlamaModel, options: ResolveChatWrapperWithModelOptions) => ChatWrapper;

/** A wrapper like `base` but with other settings: node-llama-cpp reads everything else through the prototype. */
function withSettings(base: ChatWrapper, settings: ChatWrapper["settings"]): ChatWrapper {
  return Object.create(base, { settings: { value: settings } }) as ChatWrapper;
}

/**
 * Ends the prompt with the format's function-call prefix and tells node-llama-cpp the call is already engaged:
 * its own grammars then constrain the function name to the offered functions and the arguments to their schema.
 */
function forcingFunctionCall(base: ChatWrapper): ChatWrapper {
  const forcing = Object.create(base) as ChatWrapper;
  forcing.generateContextState = (options: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState => {
    const state = base.generateContextState(options);
    return {
      contextText: LlamaText([state.contextText, base.settings.functions.call.prefix]),
      stopGenerationTriggers: state.stopGenerationTriggers,
      functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] },
    };
  };
  return forcing;
}

export class ChatWrappers {
  private readonly byMode: Record<ThinkingMode, ChatWrapper>;
  private readonly forcing: ChatWrapper;

  /** `chatTemplate` is `auto` (match the GGUF's template) or a node-llama-cpp wrapper type name. */
  constructor(model: LlamaModel, chatTemplate: string, resolveWrapper: ResolveChatWrapper = resolveChatWrapper) {
    const resolve = (qwen: object): ChatWrapper => resolveWrapper(model, {
      type: chatTemplate as "auto",
      customWrapperSettings: { qwen },
    });
    const auto = resolve({});
    const thought = auto.settings.segments?.thought;
    this.byMode = {
      auto,
      on: thought === undefined ? auto : withSettings(auto, { ...auto.settings, segments: { ...auto.settings.segments, thought: { ...thought, openOnResponseStart: true } } }),
      off: resolve({ thoughts: "discourage" }),
    };
    this.forcing = forcingFunctionCall(this.byMode.off);
  }

  get name(): string {
    return this.byMode.auto.wrapperName;
  }

  /** The wrapper for a thinking mode; a forced function call starts at once, without thinking first. */
  pick(thinking: ThinkingMode, forceFunctionCall: boolean): ChatWrapper {
    return forceFunctionCall ? this.forcing : this.byMode[thinking];
  }
}

/**
 * The ChatWrappers of each GGUF file, by path and chat template, resolved again only when the file changes (its
 * inode, size or modification time) — so an entry per configured model, never more.
 */
export class ChatWrapperCache {
  private readonly byFile = new Map<string, { identity: string; wrappers: ChatWrappers }>();

  constructor(private readonly resolveWrapper: ResolveChatWrapper = resolveChatWrapper) {}

  /** The wrappers of `model`, loaded from `path`, for `chatTemplate`. */
  for(model: LlamaModel, path: string, chatTemplate: string): ChatWrappers {
    const { ino, size, mtimeMs } = statSync(path);
    const identity = `${ino}:${size}:${mtimeMs}`;
    const key = `${chatTemplate}\0${path}`;
    const cached = this.byFile.get(key);
    if (cached?.identity === identity) return cached.wrappers;
    const wrappers = new ChatWrappers(model, chatTemplate, this.resolveWrapper);
    this.byFile.set(key, { identity, wrappers });
    return wrappers;
  }
}

/** The process's cache, shared by every engine, as the llama.cpp binding is (loadLlama). */
export const chatWrapperCache = new ChatWrapperCache();
