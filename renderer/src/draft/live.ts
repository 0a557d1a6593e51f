import { useEffect, useRef, useState } from "react";
import type { MethodName, RequestOf, ResultOf } from "../../../shared/ipc/contract";
import type { AppError } from "../../../shared/ipc/result";
import { useApp } from "../store";

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface Live<T> {
  data: T | null;
  error: AppError | null;
  pending: boolean;
}

/**
 * Calls `method` whenever `request` settles (debounced), keeping only the newest answer: an older, slower answer
 * never overwrites a newer one. `request` null: nothing to ask yet.
 */
export function useLiveCall<M extends MethodName>(
  method: M,
  request: RequestOf<M> | null,
  ms = 350,
): Live<ResultOf<M>> {
  const key = request === null ? null : JSON.stringify(request);
  const settled = useDebounced(key, ms);
  const [answer, setAnswer] = useState<{ key: string | null; data: ResultOf<M> | null; error: AppError | null }>({
    key: null,
    data: null,
    error: null,
  });
  const latest = useRef(0);
  useEffect(() => {
    const api = useApp.getState().api;
    if (settled === null || !api) return;
    const call = ++latest.current;
    void api.invoke(method, JSON.parse(settled) as RequestOf<M>).then((result) => {
      if (call !== latest.current) return;
      setAnswer(
        result.ok
          ? { key: settled, data: result.value, error: null }
          : { key: settled, data: null, error: result.error },
      );
    });
  }, [method, settled]);
  // Pending while the answer shown is not for the request as it stands now.
  return { data: answer.data, error: answer.error, pending: key !== null && answer.key !== key };
}
