// Ollama streams one JSON object a line (application/x-ndjson).

export const NDJSON_CONTENT_TYPE = "application/x-ndjson";

export const ndjsonLine = (value: unknown): string => `${JSON.stringify(value)}\n`;
