// Returning to the system the memory llama.cpp freed. Loading a model parses the GGUF's vocabulary and metadata in a
// worker thread, whose glibc arena keeps the freed pages (~50 MiB for Qwen3-0.6B's 152k-token vocabulary) until
// malloc_trim asks for them back; unloading leaves more. glibc only: elsewhere (macOS, musl) this does nothing.
import { createRequire } from "node:module";

type Trim = (pad: number) => number;

let trim: Trim | null | undefined;

function loadTrim(): Trim | null {
  if (process.platform !== "linux") return null;
  try {
    // Required here rather than imported: a platform koffi has no binary for must still start.
    const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
    return koffi.load("libc.so.6").func("int malloc_trim(size_t pad)") as Trim;
  } catch {
    return null;
  }
}

/** Hands freed heap pages back to the system; false where the C library cannot. */
export function releaseFreedMemory(): boolean {
  if (trim === undefined) trim = loadTrim();
  if (trim === null) return false;
  trim(0);
  return true;
}
