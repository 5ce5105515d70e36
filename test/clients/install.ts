// Installs the agent clients the client tests run (versions pinned in versions.json) into an ignored folder, once:
// `npm ci` stays light for everyone who doesn't run them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CLIENTS_DIR = new URL("../../.clients/", import.meta.url).pathname;
const VERSIONS = JSON.parse(readFileSync(new URL("./versions.json", import.meta.url), "utf8")) as Record<string, string>;

/** Path of an installed client's binary. */
export function clientBinary(name: "claude" | "codex" | "opencode" | "gemini" | "cn"): string {
  return join(CLIENTS_DIR, "node_modules", ".bin", name);
}

export function installClients(): void {
  const specs = Object.entries(VERSIONS).map(([name, range]) => `${name}@${range}`);
  const stamp = join(CLIENTS_DIR, "node_modules", ".lals-clients");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === specs.join("\n")) return;
  execFileSync("npm", ["install", "--prefix", CLIENTS_DIR, "--no-save", "--no-audit", "--no-fund", "--no-package-lock", ...specs], { stdio: "inherit" });
  writeFileSync(stamp, specs.join("\n"));
}

if (import.meta.url === `file://${process.argv[1]}`) installClients();
