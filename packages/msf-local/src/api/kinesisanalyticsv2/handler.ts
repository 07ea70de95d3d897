/** The shape of a Kinesis Analytics V2 operation handler (operations.ts, snapshot-operations.ts). */
import type { ControlPlane } from '../../control-plane/control-plane.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are validated JSON */
type Json = any;

export interface OperationContext {
  region: string;
}

export type OperationHandler = (cp: ControlPlane, body: Json, ctx: OperationContext) => Promise<Json> | Json;
