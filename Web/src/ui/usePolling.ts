import { useEffect } from 'react';

/**
 * Runs `load` now and again `everyMs` after each run ends, until the component goes or `load` changes (pass a
 * useCallback). `load` gets an AbortSignal that is aborted then; a run that throws is simply tried again next time.
 */
export function usePolling(load: (signal: AbortSignal) => Promise<unknown>, everyMs: number) {
  useEffect(() => {
    const abort = new AbortController();
    let timer: number | undefined;
    const run = async () => {
      await load(abort.signal).catch(() => undefined);
      if (!abort.signal.aborted) {
        timer = window.setTimeout(run, everyMs);
      }
    };
    void run();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [load, everyMs]);
}
