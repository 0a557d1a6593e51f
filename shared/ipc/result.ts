import { z } from "zod";

/** What crosses a process boundary instead of an exception: Electron serialises only an Error's message. */
export const AppErrorSchema = z.object({
  /** Stable machine code, e.g. "VALIDATION", "UNAUTHORIZED_SENDER", "TARGET_UNAUTHORIZED". */
  code: z.string(),
  /** What happened, why, and what to do, in words an admin understands. */
  message: z.string(),
  /** Technical detail, shown one click away. */
  detail: z.string().optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string, detail?: string): Result<never> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
});
