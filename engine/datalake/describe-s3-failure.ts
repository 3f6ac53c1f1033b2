// Turns an S3 SDK or network error into a sentence and a fix an operator can act on (no secrets, no
// stack).
import { DatalakeError } from './datalake-error';
import { FORBIDDEN_ENDPOINT_CODE } from './s3-endpoint-policy';

export interface S3Place {
  bucket: string;
  /** `https://minio.example.com` or `AWS S3 (eu-west-1)`. */
  where: string;
  usesDefaultCredentials: boolean;
}

const POLICY_HINT =
  'Grant s3:ListBucket on the bucket and s3:GetObject, s3:PutObject and s3:DeleteObject on its ' +
  'objects (bucket/*) to the credentials of the datalake.';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

export function describeS3Failure(error: unknown, place: S3Place, action: string): DatalakeError {
  if (error instanceof DatalakeError) return error;
  const e = (error ?? {}) as SdkError;
  const name = e.Code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const make = (code: string, message: string, hint: string) =>
    new DatalakeError(code, message, hint, { cause: error });

  if (name === 'NoSuchBucket') {
    return make(
      'datalake_bucket_not_found',
      `The bucket "${place.bucket}" does not exist at ${place.where}.`,
      'Create the bucket, or correct the bucket name (and region) of the datalake.',
    );
  }
  if (name === 'InvalidAccessKeyId') {
    return make(
      'datalake_credentials_rejected',
      `${place.where} does not know the access key id of the datalake.`,
      'Check access_id: it must be an active key of the account that owns the bucket.',
    );
  }
  if (name === 'SignatureDoesNotMatch') {
    return make(
      'datalake_credentials_rejected',
      `${place.where} rejected the secret key of the datalake.`,
      'Enter the secret_key that belongs to the access key id again.',
    );
  }
  if (name === 'ExpiredToken' || name === 'InvalidToken' || name === 'TokenRefreshRequired') {
    return make(
      'datalake_credentials_rejected',
      `The temporary AWS credentials the engine used have expired or are invalid.`,
      'Check how the engine obtains its AWS identity (instance profile, task role, web identity).',
    );
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return make(
      'datalake_no_credentials',
      'The engine found no AWS identity to reach the bucket with (auth_method "aws_iam_role" ' +
        'uses the identity the engine runs as).',
      'Run the engine with an identity that is, or can assume, the datalake role (instance ' +
        'profile, ECS task role, web identity, or AWS_* variables), or use auth_method ' +
        '"aws_access_keys".',
    );
  }
  if (
    name === 'PermanentRedirect' ||
    name === 'AuthorizationHeaderMalformed' ||
    name === 'IllegalLocationConstraintException' ||
    status === 301
  ) {
    return make(
      'datalake_wrong_region',
      `The bucket "${place.bucket}" is in another region than the one configured.`,
      "Set the datalake's region to the bucket's region.",
    );
  }
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    return make(
      'datalake_access_denied',
      `The datalake's credentials may not ${action} in the bucket "${place.bucket}" at ` +
        `${place.where}.`,
      place.usesDefaultCredentials
        ? `${POLICY_HINT} With "aws_iam_role", that is the identity the engine runs as.`
        : POLICY_HINT,
    );
  }
  const causes = [error, (error as { cause?: unknown })?.cause] as {
    code?: string;
    message?: string;
  }[];
  const refused = causes.find((cause) => cause?.code === FORBIDDEN_ENDPOINT_CODE);
  if (refused) {
    return make(
      'datalake_host_not_allowed',
      `The engine may not connect to ${place.where}: ${refused.message}`,
      'Use the storage service’s public endpoint for the datalake.',
    );
  }
  const networkCode = [e.code, (error as { cause?: { code?: string } })?.cause?.code].find(
    (code) => code && NETWORK_CODES.has(code),
  );
  if (networkCode || name === 'TimeoutError' || name === 'RequestTimeout') {
    return make(
      'datalake_unreachable',
      `The engine could not reach ${place.where} (${networkCode ?? name}).`,
      'Check the endpoint URL, that the storage service is running, and that the engine may ' +
        'connect to it.',
    );
  }
  if (
    name === 'SlowDown' ||
    name === 'ServiceUnavailable' ||
    name === 'InternalError' ||
    (status !== undefined && status >= 500)
  ) {
    return make(
      'datalake_unavailable',
      `${place.where} failed to ${action} (${name || `HTTP ${status}`}), even after retries.`,
      'This is usually temporary; the next run retries. Check the status of the storage service ' +
        'if it persists.',
    );
  }
  return make(
    'datalake_request_failed',
    `Could not ${action} at ${place.where}: ` +
      `${name ? `${name}: ` : ''}${e.message ?? String(error)}`,
    'Check the datalake configuration (endpoint, bucket, region, credentials).',
  );
}
