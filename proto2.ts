import { getLlama, LlamaChat, resolveChatWrapper, LlamaText, type ChatWrapper, type ChatHistoryItem } from "node-llama-cpp";
const llama = await getLlama({ build: "never", gpu: false });
const model = await llama.loadModel({ modelPath: "/tmp/qwen3-tiny.gguf" });
const context = await model.createContext({ contextSize: 2048, threads: 1 });
const seq = context.getSequence();
const inner = resolveChatWrapper(model, { type: "auto" }) as ChatWrapper;
const thinking: ChatWrapper = Object.create(inner, { settings: { value: { ...inner.settings, segments: { ...inner.settings.segments, thought: { ...inner.settings.segments!.thought!, openOnResponseStart: true } } } } });
for (const budget of [undefined, 8]) {
  const chat = new LlamaChat({ contextSequence: seq, chatWrapper: thinking, autoDisposeSequence: false });
  const h: ChatHistoryItem[] = [{ type: "user", text: "Think" }, { type: "model", response: [] }];
  let out = "";
  const res = await chat.generateResponse(h, { maxTokens: 20, ...(budget ? { budgets: { thoughtTokens: budget } } : {}), onToken: (t) => { out += `<${t.length}>`; }, onResponseChunk: (c) => { out += `[${c.type === "segment" ? "T" : "X"}:${c.text}]`; } });
  console.log(budget, out, JSON.stringify(res.metadata));
  chat.dispose({ disposeSequence: false });
}
const forcing: ChatWrapper = Object.create(inner);
(forcing as any).generateContextState = (options: any) => {
  const state = inner.generateContextState(options);
  return { contextText: LlamaText([state.contextText, inner.settings.functions.call.prefix]), stopGenerationTriggers: state.stopGenerationTriggers, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } };
};
const functions = { get_weather: { description: "Weather", params: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } } } } } as const;
for (const par of [1, 3]) {
  const chat = new LlamaChat({ contextSequence: seq, chatWrapper: forcing, autoDisposeSequence: false });
  const streamed: string[] = [];
  const res = await chat.generateResponse([{ type: "user", text: "W?" }, { type: "model", response: [] }], {
    functions, maxTokens: 300, maxParallelFunctionCalls: par, onToken: (t) => {},
    onFunctionCallParamsChunk: (c) => { streamed[c.callIndex] = (streamed[c.callIndex] ?? "") + c.paramsChunk; },
    onResponseChunk: (c) => console.log("chunk", JSON.stringify(c.text)),
  });
  console.log(par, JSON.stringify(res.metadata), JSON.stringify(streamed), JSON.stringify(res.functionCalls?.map((f) => f.params)));
  chat.dispose({ disposeSequence: false });
}
