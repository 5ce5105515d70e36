// The model's chat format in the variants a request can ask for, all built from the one node-llama-cpp resolved:
// thinking left to the model, forced open, or discouraged; and any of them starting directly in a function call.
import { LlamaText, resolveChatWrapper, type ChatWrapper, type ChatWrapperGenerateContextStateOptions, type ChatWrapperGeneratedContextState, type LlamaModel } from "node-llama-cpp";

export type ThinkingMode = "auto" | "on" | "off";

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
  constructor(model: LlamaModel, chatTemplate: string) {
    const resolve = (qwen: object): ChatWrapper => resolveChatWrapper(model, {
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
