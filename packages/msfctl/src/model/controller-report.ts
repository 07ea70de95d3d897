/**
 * What the controller reports — per application and for itself — on /status, as Prometheus metrics on /metrics,
 * and in its log. Plain values, so the HTTP adapter and the views read them without the controller.
 */

export type ReconcileResult = 'in sync' | 'applied' | 'pending' | 'held' | 'failed' | 'error';

export interface AppReport {
  application: string;
  file: string;
  status?: string;
  versionId?: number;
  health?: 'healthy' | 'unhealthy' | 'unknown';
  healthReason?: string;
  restarts?: number;
  drift: boolean;
  /** Actions a plan has and the controller did not apply (reconcile: manual, or held). */
  pending: number;
  lastReconcile: { at: string; result: ReconcileResult; message?: string };
  lastSnapshot?: { name: string; createdAt: string };
  /** What the controller did this pass, in sentences. */
  did: string[];
}

export interface ControllerReport {
  /** This controller holds the leader lock and acts; a standby only watches for the lock to come free. */
  leader: boolean;
  /** Who holds the leader lock when this one does not. */
  holder?: { id: string; who: string; pid?: number; host?: string; expiresAt: string };
  startedAt: string;
  passes: number;
  lastPass?: { at: string; ms: number };
  intervalMs: number;
  applications: AppReport[];
  /** Spec files that did not load, each with its error. */
  errors: { file: string; message: string }[];
}
