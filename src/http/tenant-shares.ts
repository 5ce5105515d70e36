// Each tenant's share of the generations running at once: past its cap, a tenant's next request waits for one of its
// own to end (in arrival order, its abort honoured) rather than taking a slot another tenant is queued for, so one
// key's long or stalled streams cannot hold every slot. Engine-agnostic: it sits in front of every engine.
import { cancellationOf } from "../core/cancel-cause.js";
import { GatewayError } from "../core/gateway-error.js";

interface Waiter {
  count: number;
  grant: () => void;
}

interface Tenant {
  running: number;
  waiting: Waiter[];
}

export interface TenantSharesOptions {
  /** Generations one tenant may run at once; 0: no cap. */
  perTenant: number;
  /** Requests one tenant may have waiting for its share; one more is refused as overloaded. */
  maxWaiting: number;
}

export class TenantShares {
  private readonly tenants = new Map<string, Tenant>();

  constructor(private readonly options: TenantSharesOptions) {}

  /** Generations `tenant` is running now. */
  running(tenant: string): number {
    return this.tenants.get(tenant)?.running ?? 0;
  }

  /**
   * Resolves once `tenant` may start `count` generations (a request needing more than the cap takes the whole cap),
   * with the function that gives them back (idempotent). Rejects as overloaded past `maxWaiting`, and with the
   * signal's cancellation when it aborts first.
   */
  acquire(tenant: string, count: number, signal: AbortSignal): Promise<() => void> {
    const { perTenant, maxWaiting } = this.options;
    if (signal.aborted) return Promise.reject(cancellationOf(signal));
    const need = perTenant > 0 ? Math.min(count, perTenant) : count;
    const state = this.tenants.get(tenant) ?? { running: 0, waiting: [] };
    this.tenants.set(tenant, state);
    if (perTenant === 0 || (state.waiting.length === 0 && state.running + need <= perTenant)) {
      state.running += need;
      return Promise.resolve(this.releaser(tenant, state, need));
    }
    if (state.waiting.length >= maxWaiting) {
      this.forgetIfIdle(tenant, state);
      return Promise.reject(new GatewayError("overloaded",
        `This key already runs ${state.running} generations (its share, MAX_CONCURRENT_PER_KEY=${perTenant}) and has ${state.waiting.length} waiting; retry when one ends.`,
        { retryAfter: 1 }));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count: need,
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(this.releaser(tenant, state, need));
        },
      };
      const onAbort = (): void => {
        state.waiting.splice(state.waiting.indexOf(waiter), 1);
        this.forgetIfIdle(tenant, state);
        reject(cancellationOf(signal));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      state.waiting.push(waiter);
    });
  }

  private releaser(tenant: string, state: Tenant, count: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.running -= count;
      for (let next = state.waiting[0]; next !== undefined && state.running + next.count <= this.options.perTenant; next = state.waiting[0]) {
        state.waiting.shift();
        state.running += next.count;
        next.grant();
      }
      this.forgetIfIdle(tenant, state);
    };
  }

  private forgetIfIdle(tenant: string, state: Tenant): void {
    if (state.running === 0 && state.waiting.length === 0) this.tenants.delete(tenant);
  }
}
