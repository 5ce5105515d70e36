#!/usr/bin/env node
// The `lals` command. Its first step needs node-llama-cpp not yet imported (ensure-patched.ts); the rest is cli.ts.
import { ensurePatched } from "./ensure-patched.js";

ensurePatched();
await import("./cli.js");
