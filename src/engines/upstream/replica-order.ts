// In which order an upstream's replicas are tried for one request. Replicas marked down come last, in case every
// other one fails too.

export type Balance = "least-in-flight" | "weighted-round-robin";

export interface BalancedReplica {
  weight: number;
  inFlight: number;
  /** Epoch ms until which the replica is passed over (0: healthy). */
  downUntil: number;
  /** Smooth weighted round-robin's running weight (nginx's algorithm). */
  currentWeight: number;
}

export function orderReplicas<R extends BalancedReplica>(replicas: readonly R[], balance: Balance, now: number): R[] {
  const healthy = replicas.filter((r) => r.downUntil <= now);
  const down = replicas.filter((r) => r.downUntil > now);
  if (balance === "least-in-flight") return [...[...healthy].sort((a, b) => a.inFlight - b.inFlight), ...down];
  const total = healthy.reduce((sum, r) => sum + r.weight, 0);
  for (const r of healthy) r.currentWeight += r.weight;
  const ranked = [...healthy].sort((a, b) => b.currentWeight - a.currentWeight);
  if (ranked[0] !== undefined) ranked[0].currentWeight -= total;
  return [...ranked, ...down];
}
