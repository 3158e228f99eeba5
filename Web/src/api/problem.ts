/** An Api answer other than 2xx (or no answer: status 0), with its problem JSON (RFC 9457) where it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string[]> = {},
    readonly problem: Record<string, unknown> = {},
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Reads a refusal's problem JSON. */
export async function errorOf(response: Response): Promise<ApiError> {
  const problem = ((await response.json().catch(() => null)) ?? {}) as Record<string, unknown>;
  const fields = (problem.errors ?? {}) as Record<string, string[]>;
  const first = Object.values(fields).flat()[0];
  const message = (problem.detail as string) ?? first ?? (problem.title as string) ?? `HTTP ${response.status}`;
  const retryAfter = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, message, fields, problem, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}
