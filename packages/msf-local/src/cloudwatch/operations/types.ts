/**
 * What CloudWatch operations take and give, independent of the wire protocol. Inputs arrive validated and typed
 * from the service model (protocol/input.ts: numbers, booleans, timestamps as epoch milliseconds); outputs are
 * plain objects with `Date` for timestamps and `OutputMap` for maps, which each protocol serialises its own way.
 */
import type { MetricStore } from '../backend/metric-store.js';

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;

/** A map-shaped output member (query protocol: <entry><key/><value/></entry>; JSON: an object). */
export class OutputMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

export interface OperationContext {
  store: MetricStore;
  now: () => number;
}
