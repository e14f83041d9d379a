export class HealthStatusDto {
  /** `ok` when healthy. */
  status: string;
  /** Per-check results (readiness only). */
  info?: Record<string, unknown>;
  error?: Record<string, unknown>;
  details?: Record<string, unknown>;
}
