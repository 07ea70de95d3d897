/**
 * What a rehearsal must undo, whatever happens: closers run once, newest first, each even if an earlier one
 * failed (its error is reported, not thrown: teardown must not hide the rehearsal's own outcome).
 */
export class Teardown {
  private readonly closers: { what: string; close: () => Promise<unknown> }[] = [];
  private done?: Promise<void>;

  constructor(private readonly onError: (message: string) => void) {}

  add(what: string, close: () => Promise<unknown>): void {
    if (this.done) throw new Error(`cannot add ${what}: the sandbox is already torn down`);
    this.closers.push({ what, close });
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const { what, close } of this.closers.reverse()) {
        try {
          await close();
        } catch (error) {
          this.onError(`while removing ${what}: ${(error as Error).message}`);
        }
      }
    })();
    return this.done;
  }
}

/** `promise`, or the signal's reason as soon as it aborts (the promise then settles unobserved). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
