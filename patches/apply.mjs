#!/usr/bin/env node
// Applies LALS's patches (this directory) to node-llama-cpp wherever it resolves from LALS: ./node_modules in a clone,
// the project's node_modules when LALS is installed into a project (npm hoists it there), LALS's own node_modules when
// installed globally. patch-package patches <app>/node_modules/<package>, <app> being the nearest directory above its
// working directory with a package.json, and reads the patches from a directory relative to <app>: so it runs from
// the directory holding the node_modules that holds node-llama-cpp, pointed back here. Applying twice changes nothing.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const patches = dirname(fileURLToPath(import.meta.url));
const require = createRequire(fileURLToPath(new URL("../package.json", import.meta.url)));
const entry = require.resolve("node-llama-cpp");
const marker = `${sep}node_modules${sep}node-llama-cpp${sep}`;
if (!entry.includes(marker)) {
  console.error(`lals: node-llama-cpp resolves to ${entry}, outside a node_modules directory; patch it there with patches/*.patch`);
  process.exit(1);
}
const app = entry.slice(0, entry.lastIndexOf(marker));
const patchDir = relative(app, patches).split(sep).join("/");
const { status, error } = spawnSync(process.execPath, [require.resolve("patch-package/index.js"), "--patch-dir", patchDir], { cwd: app, stdio: "inherit" });
if (error !== undefined) throw error;
process.exit(status ?? 1);
