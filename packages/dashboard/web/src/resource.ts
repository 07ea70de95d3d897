/** One API read bound to a component: refetched when `key` changes or `reload()` is called; stale answers dropped. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, getJson } from './api.js';

export interface Resource<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

export function useResource<T>(path: string, key: unknown = path): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    getJson<T>(path, abort.signal).then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        const e = error instanceof ApiError ? error : new ApiError(0, 'error', String(error));
        // Keep the last good data on screen; the error shows beside it.
        setState((s) => ({ ...s, error: e, loading: false }));
      },
    );
    return () => abort.abort();
    // `key` stands for whatever else should refetch (a change seen on the live feed, a timer…).
  }, [path, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
