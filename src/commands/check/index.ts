// `lals check URL [URL2] [options]`: the deployment verifier. Runs the fixed probes against each server in turn (never
// two requests at once, so the timings are the server's own), prints the table or the JSON, and says whether all held.
import { isFailure, probeLabel, type ServerReport } from "./check-result.js";
import { checkServer } from "./check-server.js";
import { CHECK_USAGE, parseCheckOptions } from "./options.js";
import type { Probe } from "./probe.js";
import { PROBES } from "./probes.js";
import { renderSummary } from "./summary.js";
import { renderTable } from "./table.js";

/** On a terminal, one status line of what runs now, rewritten in place (stderr, so stdout stays the report). */
function progress(url: string): ((probe: Probe) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (probe) => void process.stderr.write(`\r\x1b[K${url}  ${probe.protocol} ${probeLabel(probe)}…`);
}

const clearProgress = (): void => {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
};

/** Runs `lals check` with its arguments; resolves to the exit code: 0 when no offered probe failed on any server, else 1. */
export async function runCheck(argv: string[]): Promise<number> {
  const options = parseCheckOptions(argv);
  if (options === "help") {
    process.stdout.write(CHECK_USAGE);
    return 0;
  }
  const reports: ServerReport[] = [];
  for (const server of options.servers) {
    const settings = { ...server, maxTokens: options.maxTokens, timeoutMs: options.timeoutMs };
    reports.push(await checkServer(settings, PROBES, options.json ? undefined : progress(server.url)));
  }
  clearProgress();
  process.stdout.write(options.json ? `${JSON.stringify({ servers: reports })}\n` : `${renderTable(reports)}\n${renderSummary(reports)}`);
  return reports.some((report) => report.checks.some(isFailure)) ? 1 : 0;
}
