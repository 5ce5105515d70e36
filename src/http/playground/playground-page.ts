// The playground: one self-contained HTML page (inline CSS and JS, nothing fetched from elsewhere) that talks to this
// server's own endpoints. It is read once at start-up; `npm run build` copies it beside the compiled module.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export interface PlaygroundPage {
  html: string;
  /** Allows exactly the page's own inline script and style, and requests to this server only. */
  contentSecurityPolicy: string;
}

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** The inline `<tag>` bodies' hashes, for the content security policy. */
function inlineHashes(html: string, tag: "script" | "style"): string {
  const bodies = [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((match) => match[1] ?? "");
  if (bodies.length === 0) throw new Error(`the playground page has no inline <${tag}>`);
  return bodies.map(sha256).join(" ");
}

/** Reads the page and derives its content security policy. */
export function loadPlaygroundPage(file: URL = new URL("./playground.html", import.meta.url)): PlaygroundPage {
  const html = readFileSync(file, "utf8");
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${inlineHashes(html, "script")}`,
    `style-src ${inlineHashes(html, "style")}`,
    "connect-src 'self'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return { html, contentSecurityPolicy };
}
