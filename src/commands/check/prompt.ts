/** What every generating probe asks: short, so any model answers within a few tokens. */
export const PROMPT = "Say hello in one short sentence.";
