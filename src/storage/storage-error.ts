/** Why a storage call failed; stable, so callers can branch on it. */
export type StorageErrorCode =
  | 'INVALID_ARGUMENT'
  | 'KEY_TOO_LONG'
  | 'VALUE_TOO_LARGE'
  | 'CLOSED'
  | 'UNAVAILABLE';

const statusOf: Record<StorageErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  KEY_TOO_LONG: 400,
  VALUE_TOO_LARGE: 413,
  CLOSED: 503,
  UNAVAILABLE: 503,
};

/** A failed storage call, with the HTTP status a request that caused it should get. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly status: number;

  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = statusOf[code];
  }
}

/**
 * A storage setting that prevents start-up: an unknown backend, an unreachable database, a data
 * directory that cannot be written. `setting` names the flag and environment variable to fix.
 */
export class StorageConfigError extends Error {
  override readonly name = 'StorageConfigError';

  constructor(
    readonly setting: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Rethrows a backend's own failure (a lost connection, a full disk) as a StorageError, so callers
 * handle one error type and answer 503; StorageErrors pass through unchanged.
 */
export function storageFailure(error: unknown): never {
  if (error instanceof StorageError) throw error;
  const reason = error instanceof Error ? error.message || error.name : String(error);
  throw new StorageError('UNAVAILABLE', `storage failed: ${reason}`, { cause: error });
}
