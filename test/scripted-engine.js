// A stand-in engine for HTTP tests that need no model: it answers every request with a scripted reply, and notes what
// it was asked.
import { setTimeout as sleep } from "node:timers/promises";
import { cancellationOf } from "../src/core/cancel-cause.js";
import { unitVector } from "../src/core/embed-request.js";
import { admitOnStart } from "../src/core/generation-stream.js";
export class ScriptedEngine {
    id;
    script;
    requests = [];
    embedRequests = [];
    rankRequests = [];
    tokenizeRequests = [];
    busy = 0;
    constructor(id, script) {
        this.id = id;
        this.script = script;
    }
    health() {
        return { state: "ready" };
    }
    occupancy() {
        return { slots: 1, busySlots: this.busy, queued: 0 };
    }
    models() {
        return [{ id: this.id, created: 0, ownedBy: "test", contextLength: 1024 }];
    }
    async countTokens() {
        return this.script.inputTokens;
    }
    /** One vector per input, from its length: the same input gives the same vector. */
    async embed(request) {
        this.embedRequests.push(request);
        const vectors = request.inputs.map((input) => unitVector([1, input.length], request.dimensions));
        return { vectors, promptTokens: request.inputs.reduce((sum, input) => sum + input.length, 0) };
    }
    /** A document's score from its length: longer documents rank higher. */
    async rank(request) {
        this.rankRequests.push(request);
        const scores = request.documents.map((document) => 1 - 1 / (1 + document.length));
        return { scores, promptTokens: request.documents.reduce((sum, document) => sum + request.query.length + document.length, 0) };
    }
    /** A text's characters as its tokens; a chat as the scripted input tokens. */
    async tokenize(request) {
        this.tokenizeRequests.push(request);
        const tokens = request.kind === "chat" ? Array.from({ length: this.script.inputTokens }, (_, i) => i) : [...request.content].map((c) => c.codePointAt(0));
        return { tokens, contextLength: 1024 };
    }
    async detokenize(request) {
        this.tokenizeRequests.push(request);
        return String.fromCodePoint(...request.tokens);
    }
    generate(request, signal) {
        this.requests.push(request);
        return admitOnStart(this.run(request, signal));
    }
    async *run(request, signal) {
        if (signal.aborted)
            throw cancellationOf(signal);
        this.busy++;
        try {
            yield* this.scripted(request, signal);
        }
        finally {
            this.busy--;
        }
    }
    /** The scripted deltas, at most the request's max tokens of them. */
    async *scripted(request, signal) {
        const { inputTokens, delayMs = 0, failWith } = this.script;
        const limit = request.sampling.maxTokens ?? Infinity;
        const deltas = this.script.deltas.slice(0, limit);
        yield { type: "start", inputTokens, cachedTokens: 0 };
        yield { type: "block_start", index: 0, kind: "text" };
        for (const text of deltas) {
            if (delayMs > 0)
                await sleep(delayMs, undefined, { signal }).catch(() => undefined);
            if (signal.aborted) {
                const cancelled = cancellationOf(signal);
                if (cancelled.reported)
                    yield { type: "error", error: cancelled };
                return;
            }
            yield { type: "text_delta", index: 0, text };
        }
        if (failWith !== undefined) {
            yield { type: "error", error: failWith };
            return;
        }
        yield { type: "block_end", index: 0 };
        const stopReason = deltas.length < this.script.deltas.length ? "max_tokens" : "end_turn";
        yield { type: "end", stopReason, usage: { inputTokens, cachedTokens: 0, outputTokens: deltas.length } };
    }
}
//# sourceMappingURL=scripted-engine.js.map