// The open connections, by client address, and which of them are idle (no request in flight: new and silent, or kept
// alive between requests). A new connection past a cap takes the place of an idle one rather than being refused, so
// sockets that only wait can never lock out a client that has something to ask; and no address may hold more than its
// share, so one client cannot take every place. Behind a proxy every client has the proxy's address and shares one share.

/** What is needed of a socket: its peer's address and a way to close it. */
export interface TrackedSocket {
  readonly remoteAddress?: string | undefined;
  destroy(): void;
}

interface Entry {
  readonly address: string;
  inFlight: number;
  /** When the connection last became idle, on a counter: the smallest is the one idle longest. */
  idleSince: number;
}

export interface ConnectionCaps {
  /** Connections at once; 0: no cap. */
  total: number;
  /** Connections at once from one address; 0: no cap. */
  perAddress: number;
}

/** The outcome of a new connection: let in (after closing `closed`, idle, to make room), or refused. */
export type Admission = { admitted: true; closed?: TrackedSocket } | { admitted: false; reason: "too_many_connections" | "too_many_connections_from_address" };

export class OpenConnections {
  private readonly entries = new Map<TrackedSocket, Entry>();
  private readonly byAddress = new Map<string, Set<TrackedSocket>>();
  private clock = 0;

  constructor(private readonly caps: ConnectionCaps) {}

  get size(): number {
    return this.entries.size;
  }

  /** Decides on a socket just accepted; an admitted one is tracked until `forget`. */
  admit(socket: TrackedSocket): Admission {
    const address = socket.remoteAddress ?? "unknown";
    let closed: TrackedSocket | undefined;
    const mine = this.byAddress.get(address);
    if (this.caps.perAddress > 0 && (mine?.size ?? 0) >= this.caps.perAddress) {
      closed = this.idlest(mine!);
      if (closed === undefined) return { admitted: false, reason: "too_many_connections_from_address" };
    } else if (this.caps.total > 0 && this.entries.size >= this.caps.total) {
      closed = this.idlest(this.entries.keys());
      if (closed === undefined) return { admitted: false, reason: "too_many_connections" };
    }
    if (closed !== undefined) {
      this.forget(closed);
      closed.destroy();
    }
    this.entries.set(socket, { address, inFlight: 0, idleSince: this.clock++ });
    let set = this.byAddress.get(address);
    if (set === undefined) this.byAddress.set(address, set = new Set());
    set.add(socket);
    return closed === undefined ? { admitted: true } : { admitted: true, closed };
  }

  requestStarted(socket: TrackedSocket): void {
    const entry = this.entries.get(socket);
    if (entry !== undefined) entry.inFlight++;
  }

  requestEnded(socket: TrackedSocket): void {
    const entry = this.entries.get(socket);
    if (entry === undefined || entry.inFlight === 0) return;
    if (--entry.inFlight === 0) entry.idleSince = this.clock++;
  }

  isIdle(socket: TrackedSocket): boolean {
    return this.entries.get(socket)?.inFlight === 0;
  }

  forget(socket: TrackedSocket): void {
    const entry = this.entries.get(socket);
    if (entry === undefined) return;
    this.entries.delete(socket);
    const set = this.byAddress.get(entry.address);
    set?.delete(socket);
    if (set?.size === 0) this.byAddress.delete(entry.address);
  }

  /** The idle socket to close first: of the address holding the most connections, the one idle longest. */
  private idlest(sockets: Iterable<TrackedSocket>): TrackedSocket | undefined {
    let best: { socket: TrackedSocket; held: number; idleSince: number } | undefined;
    for (const socket of sockets) {
      const entry = this.entries.get(socket)!;
      if (entry.inFlight > 0) continue;
      const held = this.byAddress.get(entry.address)!.size;
      if (best === undefined || held > best.held || (held === best.held && entry.idleSince < best.idleSince)) best = { socket, held, idleSince: entry.idleSince };
    }
    return best?.socket;
  }
}
