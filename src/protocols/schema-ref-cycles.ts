// `$ref` cycles a grammar cannot follow, found the way node-llama-cpp reads a schema into one: `$ref` wins over every
// other keyword, `#/$defs/NAME` (or `#/definitions/NAME`) names a definition in the scope of the nodes above, every
// property of an object is written, and an array writes its prefixItems and, below minItems, more items.
// Two cycles break it: one that reaches itself before writing a character (llama.cpp refuses the left recursion),
// and one that has no finite value at all (every branch goes round again: the model could never finish).
import type { SchemaExcess } from "./schema-bounds.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

type Scope = ReadonlyMap<string, Definition>;

interface Definition {
  schema: Record<string, unknown>;
  /** The scope its body is read in: where it was defined, itself included. */
  scope: Scope;
  path: (string | number)[];
  gate: number;
  /** Definitions its value may start with, before any character is written. */
  leads: Definition[];
  built: boolean;
}

/**
 * An and/or graph of "this part has a finite value": an object needs all its properties, a choice any alternative,
 * a reference its definition. Solved in one pass over its edges, however the definitions chain.
 */
class Finiteness {
  private readonly needsAll: boolean[] = [];
  private readonly pending: number[] = [];
  private readonly parents: number[][] = [];
  readonly finite: boolean[] = [];

  gate(needsAll: boolean, children: readonly number[] = []): number {
    const id = this.needsAll.length;
    this.needsAll.push(needsAll);
    this.pending.push(needsAll ? children.length : 1);
    this.parents.push([]);
    this.finite.push(false);
    for (const child of children) this.parents[child]?.push(id);
    return id;
  }

  /** `child` becomes one more alternative of the any-gate `parent`. */
  link(parent: number, child: number): void {
    this.parents[child]?.push(parent);
  }

  solve(): void {
    const ready = this.pending.flatMap((n, id) => (n === 0 && this.needsAll[id] ? [id] : []));
    for (const id of ready) this.finite[id] = true;
    for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
      for (const parent of this.parents[id] ?? []) {
        if (this.finite[parent]) continue;
        if (this.needsAll[parent] && --this.pending[parent]! > 0) continue;
        this.finite[parent] = true;
        ready.push(parent);
      }
    }
  }
}

function withDefinitions(scope: Scope, node: Record<string, unknown>, path: (string | number)[], graph: Finiteness, found: Definition[]): Scope {
  const maps = (["definitions", "$defs"] as const).filter((key) => isObject(node[key]));
  if (maps.length === 0) return scope;
  const joined = new Map(scope);
  for (const key of maps) {
    for (const [name, schema] of Object.entries(node[key] as Record<string, unknown>)) {
      if (!isObject(schema)) {
        joined.delete(name);
        continue;
      }
      const definition: Definition = { schema, scope: joined, path: [...path, key, name], gate: graph.gate(false), leads: [], built: false };
      joined.set(name, definition);
      found.push(definition);
    }
  }
  return joined;
}

function resolve(ref: string, scope: Scope): Definition | undefined {
  const prefix = "#/$defs/";
  const normalised = ref.replace("#/definitions/", prefix);
  return normalised.startsWith(prefix) ? scope.get(normalised.slice(prefix.length)) : undefined;
}

interface Part {
  gate: number;
  leads: Definition[];
}

/** The gate of one subschema's value, and the definitions it may start with; definitions met are queued, not entered. */
function part(node: unknown, scope: Scope, path: (string | number)[], graph: Finiteness, found: Definition[], queue: Definition[]): Part {
  if (!isObject(node)) return { gate: graph.gate(true), leads: [] };
  const inner = withDefinitions(scope, node, path, graph, found);
  const sub = (child: unknown, ...keys: (string | number)[]): Part => part(child, inner, [...path, ...keys], graph, found, queue);
  if (typeof node.$ref === "string") {
    const target = resolve(node.$ref, inner);
    if (target === undefined) return { gate: graph.gate(true), leads: [] };
    if (!target.built) {
      target.built = true;
      queue.push(target);
    }
    return { gate: target.gate, leads: [target] };
  }
  const choice = Array.isArray(node.oneOf) ? ["oneOf", node.oneOf] as const : Array.isArray(node.anyOf) ? ["anyOf", node.anyOf] as const : undefined;
  if (choice !== undefined && choice[1].length > 0) {
    const alternatives = choice[1].map((alternative: unknown, i) => sub(alternative, choice[0], i));
    return { gate: graph.gate(false, alternatives.map((a) => a.gate)), leads: alternatives.flatMap((a) => a.leads) };
  }
  if (node.const !== undefined || node.enum !== undefined) return { gate: graph.gate(true), leads: [] };
  const needed: number[] = [];
  if (node.type === "object") {
    const properties = isObject(node.properties) ? Object.entries(node.properties) : [];
    for (const [name, child] of properties) needed.push(sub(child, "properties", name).gate);
    const extra = node.additionalProperties;
    if (isObject(extra)) {
      const value = sub(extra, "additionalProperties").gate;
      if (typeof node.minProperties === "number" && node.minProperties > properties.length) needed.push(value);
    }
  } else if (node.type === "array") {
    const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : [];
    prefix.forEach((child: unknown, i) => needed.push(sub(child, "prefixItems", i).gate));
    if (isObject(node.items)) {
      const item = sub(node.items, "items").gate;
      if (typeof node.minItems === "number" && node.minItems > prefix.length) needed.push(item);
    }
  }
  return { gate: graph.gate(true, needed), leads: [] };
}

/** The first definition on a cycle of `leads` from any of `start`, walked with its own stack. */
function leftRecursion(start: Definition[]): Definition | undefined {
  const state = new Map<Definition, "open" | "closed">();
  const stack: { definition: Definition; next: number }[] = [];
  const enter = (definition: Definition): Definition | undefined => {
    const seen = state.get(definition);
    if (seen === "open") return definition;
    if (seen === undefined) {
      state.set(definition, "open");
      stack.push({ definition, next: 0 });
    }
    return undefined;
  };
  for (const root of start) {
    const found = enter(root);
    if (found !== undefined) return found;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.definition.leads[top.next++];
      if (next === undefined) {
        state.set(top.definition, "closed");
        stack.pop();
        continue;
      }
      const cycle = enter(next);
      if (cycle !== undefined) return cycle;
    }
  }
  return undefined;
}

/** A `$ref` cycle in `schema` that no grammar can follow, or undefined. */
export function refCycleExcess(schema: Record<string, unknown>): SchemaExcess | undefined {
  const graph = new Finiteness();
  const found: Definition[] = [];
  const queue: Definition[] = [];
  const { gate } = part(schema, new Map(), [], graph, found, queue);
  for (let definition = queue.pop(); definition !== undefined; definition = queue.pop()) {
    const body = part(definition.schema, definition.scope, definition.path, graph, found, queue);
    graph.link(definition.gate, body.gate);
    definition.leads = body.leads;
  }
  const cycle = leftRecursion(found.filter((d) => d.built));
  if (cycle !== undefined) {
    return { path: cycle.path, message: "refers back to itself ($ref) before any value is written, which no grammar can follow" };
  }
  graph.solve();
  if (graph.finite[gate]) return undefined;
  const endless = found.find((d) => d.built && !graph.finite[d.gate]);
  return { path: endless?.path ?? [], message: "has no finite value: every way through its $ref recursion comes back to it, so a reply could never end" };
}
