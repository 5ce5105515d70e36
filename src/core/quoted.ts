// How much of a client-given name (a model, an id) a log line or an error message quotes: a short prefix, so one
// request cannot write or be echoed kilobytes of its own input.

export const QUOTED_CHARS = 64;

/** `text` as a log line or an error message may quote it: at most `max` characters, marked when cut. */
export function quoted(text: string, max = QUOTED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
