// Runs the probes against one server, one after another, deciding from each group's first answer whether the server
// offers it: a 404 or 405 there makes the group's rows n/a, unless the error names the model (then the model is
// missing, not the API).
import type { CheckResult, ServerReport } from "./check-result.js";
import type { Failure } from "./describe-failure.js";
import { discoverModel, type Discovery } from "./discover-model.js";
import type { Probe } from "./probe.js";
import { runProbe, type Timing } from "./run-probe.js";
import { SdkClients } from "./sdk-clients.js";

export interface ServerSettings {
  url: string;
  apiKey: string | undefined;
  /** Undefined: the first model the server lists. */
  model: string | undefined;
  maxTokens: number;
  timeoutMs: number;
}

/** Paths and URLs in an error body ("Route POST:/v1beta/models/m:generateContent not found"), which may hold the model's name. */
const PATHS = /(?<![^\s:"'(])\/[^\s"']*/g;

/** Whether the failure of a group's first probe shows the server lacks the API rather than serves it badly. */
export function isNotOffered(failure: Failure, model: string): boolean {
  if (failure.status !== 404 && failure.status !== 405) return false;
  return model === "" || !failure.body.replace(PATHS, "").includes(model);
}

function measured(probe: Probe, offered: boolean, timing: Timing, error?: string): CheckResult {
  return {
    name: probe.name, protocol: probe.protocol, stream: probe.stream, offered, pass: offered && error === undefined, ...timing,
    ...(error === undefined ? {} : { error }),
  };
}

function notRun(probe: Probe, offered: boolean, status: number | null, error: string): CheckResult {
  return {
    name: probe.name, protocol: probe.protocol, stream: probe.stream, offered, pass: false,
    status, ttftMs: null, totalMs: null, outputTokens: null, tokensPerSecond: null, error,
  };
}

/** What the run of one server knows between probes. */
interface ServerRun {
  settings: ServerSettings;
  sdks: SdkClients;
  discovery: Discovery;
  /** Each group's verdict once its first probe has answered: offered or not. */
  offered: Map<string, boolean>;
}

async function checkOne(probe: Probe, run: ServerRun): Promise<CheckResult> {
  if (run.offered.get(probe.group) === false) return notRun(probe, false, null, "not offered");
  let model = "";
  if (probe.needsModel) {
    if ("failure" in run.discovery) return notRun(probe, true, run.discovery.failure.status, run.discovery.failure.reason);
    model = run.discovery.model;
  }
  const { url, apiKey, maxTokens, timeoutMs } = run.settings;
  const outcome = await runProbe(probe, { url, apiKey, model, maxTokens, timeoutMs, sdks: run.sdks });
  const first = !run.offered.has(probe.group);
  if (!outcome.ok && first && isNotOffered(outcome.failure, model)) {
    run.offered.set(probe.group, false);
    return measured(probe, false, outcome.timing, outcome.failure.reason);
  }
  run.offered.set(probe.group, true);
  return measured(probe, true, outcome.timing, outcome.ok ? undefined : outcome.failure.reason);
}

/** Every probe against one server, in order; `onProbe` hears of each before it runs. */
export async function checkServer(settings: ServerSettings, probes: readonly Probe[], onProbe?: (probe: Probe) => void): Promise<ServerReport> {
  const discovery = settings.model !== undefined ? { model: settings.model } : await discoverModel(settings.url, settings.apiKey, settings.timeoutMs);
  const run: ServerRun = { settings, sdks: new SdkClients(settings), discovery, offered: new Map() };
  await run.sdks.warm();
  const checks: CheckResult[] = [];
  for (const probe of probes) {
    onProbe?.(probe);
    checks.push(await checkOne(probe, run));
  }
  return { url: settings.url, model: "model" in discovery ? discovery.model : null, checks };
}
