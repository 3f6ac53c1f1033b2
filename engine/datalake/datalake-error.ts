// What the datalake layer throws: a code, a sentence a person can act on, and the fix (never a
// secret).

export class DatalakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** What to do about it, for an operator. */
    readonly hint: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatalakeError';
  }
}

export class DatalakeObjectNotFound extends DatalakeError {
  constructor(readonly key: string) {
    super('datalake_object_not_found', `The datalake has no object "${key}".`);
    this.name = 'DatalakeObjectNotFound';
  }
}

export class DatalakeNotSupportedError extends DatalakeError {
  constructor(storage: string) {
    super(
      'datalake_not_supported',
      `The engine cannot use a "${storage}" datalake yet.`,
      storage === 'gcs'
        ? 'Use the bucket through its S3-compatible interoperability endpoint (storage ' +
            '"s3_compatible", endpoint https://storage.googleapis.com, HMAC keys) or a "local" ' +
            'datalake.'
        : 'Use an "s3_compatible" datalake (any S3 API gateway in front of the storage) or a ' +
            '"local" datalake.',
    );
    this.name = 'DatalakeNotSupportedError';
  }
}

export class InvalidLakeKeyError extends DatalakeError {
  constructor(key: string, reason: string) {
    super('invalid_lake_key', `"${key}" is not a valid datalake key: ${reason}.`);
    this.name = 'InvalidLakeKeyError';
  }
}
