// Model aliases: other names clients may ask for (a vendor's model names, say), exact or with * and ? wildcards.

export interface ModelAlias {
  /** The name or glob clients use. */
  name: string;
  /** The served model it stands for. */
  target: string;
}

/** `claude-*=qwen3-0.6b, gpt-4o=qwen3-0.6b` → aliases in the order given. */
export function parseModelAliases(text: string): ModelAlias[] {
  return text.split(",").map((pair) => pair.trim()).filter((pair) => pair !== "").map((pair) => {
    const [name = "", target = ""] = pair.split("=").map((part) => part.trim());
    return { name, target };
  });
}

const isGlob = (name: string): boolean => /[*?]/.test(name);

function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${body}$`);
}

/** The served model `requested` stands for: exact aliases first, then globs in the order given. */
export function resolveAlias(aliases: readonly ModelAlias[], requested: string): string | undefined {
  const exact = aliases.find((a) => !isGlob(a.name) && a.name === requested);
  if (exact !== undefined) return exact.target;
  return aliases.find((a) => isGlob(a.name) && globPattern(a.name).test(requested))?.target;
}

/**
 * The model-name families of the vendors whose APIs LALS speaks, served by the default model when nothing configured
 * matches: clients such as Claude Code and Codex ask for their vendor's models by default. Listed in /v1/models.
 */
export const VENDOR_NAME_FAMILIES: readonly { glob: string; pattern: RegExp }[] = [
  { glob: "claude-*", pattern: /^claude-/ },
  { glob: "gpt-*", pattern: /^gpt-/ },
  { glob: "chatgpt-*", pattern: /^chatgpt-/ },
  { glob: "o<digit>*", pattern: /^o\d/ },
  { glob: "codex-*", pattern: /^codex-/ },
  { glob: "gemini-*", pattern: /^gemini-/ },
];

/** The vendor family `requested` belongs to, if any. */
export function vendorFamily(requested: string): string | undefined {
  return VENDOR_NAME_FAMILIES.find((family) => family.pattern.test(requested))?.glob;
}
