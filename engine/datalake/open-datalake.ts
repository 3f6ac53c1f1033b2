// Opens the store of a datalake configuration: a local directory, S3 or an S3-compatible service.
import type { DatalakeCreate } from '../../lib/prequel/contract/datalake';
import { DatalakeNotSupportedError } from './datalake-error';
import type { DatalakeStore, OpenDatalakeOptions } from './datalake-store';
import { createLocalDatalake } from './local-datalake';
import { createS3Datalake } from './s3-datalake';

/** `config` is a validated datalake configuration with its secrets merged back in. */
export function openDatalake(config: DatalakeCreate, options: OpenDatalakeOptions): DatalakeStore {
  switch (config.storage) {
    case 'local':
      return createLocalDatalake(config.local?.path ?? 'datalake', options);
    case 's3': {
      const s3 = config.s3!;
      const keys = s3.auth_method === 'aws_access_keys' ? s3.aws_access_keys : undefined;
      return createS3Datalake(
        {
          bucket: s3.bucket_name,
          region: s3.bucket_region,
          prefix: s3.prefix,
          forcePathStyle: false,
          // aws_iam_role: the SDK's default chain, i.e. the identity the engine runs as (instance
          // profile, task role, web identity, AWS_* variables); that identity must be, or be able
          // to assume, the configured role.
          credentials: keys
            ? { accessKeyId: keys.access_id, secretAccessKey: keys.secret_key }
            : undefined,
        },
        options,
      );
    }
    case 's3_compatible': {
      const s3 = config.s3_compatible!;
      return createS3Datalake(
        {
          bucket: s3.bucket_name,
          region: s3.region,
          prefix: s3.prefix,
          endpoint: s3.endpoint,
          forcePathStyle: s3.force_path_style,
          credentials: { accessKeyId: s3.access_id, secretAccessKey: s3.secret_key },
          hostPolicy: options.hostPolicy,
        },
        options,
      );
    }
    default:
      throw new DatalakeNotSupportedError(config.storage);
  }
}
