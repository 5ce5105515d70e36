// Content negotiation for GET /: browsers navigating there get the playground, API clients keep getting JSON.

/** The quality an Accept header gives `type` (`text/html`): its most specific matching range wins; 0 if none matches. */
export function quality(accept: string, type: string): number {
  const [major] = type.split("/");
  let best = { specificity: -1, q: 0 };
  for (const range of accept.split(",")) {
    const [media = "", ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    const specificity = media === type ? 2 : media === `${major}/*` ? 1 : media === "*/*" ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const qParam = params.find((param) => param.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    best = { specificity, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0 };
  }
  return best.q;
}

/** Whether a request's Accept header ranks HTML above JSON. A tie (`*\/*`, or no header) goes to JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const html = quality(accept, "text/html");
  return html > 0 && html > quality(accept, "application/json");
}
