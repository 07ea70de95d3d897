/**
 * A test hook, documented in the README: throttling of the Managed Flink API as the service does it under load.
 * A token bucket (rate per second, burst) in front of the KinesisAnalyticsV2 service; a request finding it
 * empty is answered `ThrottlingException` (HTTP 400), which the SDK's retry strategies treat as throttling.
 * Off unless asked for, so msf-local never throttles by surprise.
 */
import { jsonError } from '../api/aws-json.js';
import { ServiceError } from '../control-plane/errors.js';
import type { Service, ServiceRequest, ServiceResponse } from './service.js';

export interface ThrottleSettings {
  /** Requests per second the API answers in the long run. */
  requestsPerSecond: number;
  /** Requests answered back to back before throttling starts. @default requestsPerSecond */
  burst?: number;
}

export interface ThrottleCounters {
  /** Requests answered ThrottlingException since the hook was last set. */
  throttled: number;
  /** Requests let through since then. */
  served: number;
}

/** The KinesisAnalyticsV2 service behind a token bucket that `set` turns on, changes or off. */
export class ThrottledService implements Service {
  readonly name: string;
  private settings: ThrottleSettings | undefined;
  private tokens = 0;
  private refilledAt = 0;
  counters: ThrottleCounters = { throttled: 0, served: 0 };

  constructor(
    private readonly inner: Service,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.name = inner.name;
  }

  set(settings: ThrottleSettings | undefined): void {
    if (settings && !(settings.requestsPerSecond > 0 && (settings.burst ?? 1) >= 1))
      throw new RangeError('throttle: requestsPerSecond must be > 0 and burst ≥ 1');
    this.settings = settings;
    this.tokens = settings ? burstOf(settings) : 0;
    this.refilledAt = this.now();
    this.counters = { throttled: 0, served: 0 };
  }

  accepts(req: ServiceRequest): boolean {
    return this.inner.accepts(req);
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const settings = this.settings;
    if (settings) {
      const now = this.now();
      const refill = ((now - this.refilledAt) / 1000) * settings.requestsPerSecond;
      this.tokens = Math.min(burstOf(settings), this.tokens + refill);
      this.refilledAt = now;
      if (this.tokens < 1) {
        this.counters.throttled++;
        return jsonError(new ServiceError('ThrottlingException', 'Rate exceeded', 400), CONTENT_TYPE);
      }
      this.tokens -= 1;
    }
    this.counters.served++;
    return this.inner.handle(req);
  }
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function burstOf(settings: ThrottleSettings): number {
  return settings.burst ?? Math.max(1, settings.requestsPerSecond);
}
