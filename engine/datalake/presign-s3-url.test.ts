import { describe, expect, test } from 'vitest';
import { objectUrl, presignS3Url } from './presign-s3-url';

describe('presigned S3 URLs', () => {
  test('match the worked example of the S3 API reference (SigV4 query-string authentication)', () => {
    const url = presignS3Url({
      objectUrl: objectUrl(new URL('https://examplebucket.s3.amazonaws.com/'), 'test.txt'),
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      expiresInSeconds: 86_400,
      now: new Date('2013-05-24T00:00:00Z'),
    });
    expect(url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  test('match the AWS SDK’s own SigV4 signer for a path-style endpoint with a port, an odd prefix and a session token', () => {
    // Expected value computed once with @smithy/signature-v4 (the signer inside @aws-sdk/client-s3).
    const url = presignS3Url({
      objectUrl: objectUrl(
        new URL('http://127.0.0.1:9000/my-bucket'),
        'pre fix!/lakehouse/ac~me/a=b/part-00001.parquet',
      ),
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET/x+y', sessionToken: 'tok/en+=' },
      expiresInSeconds: 900,
      now: new Date('2026-01-02T03:04:05Z'),
    });
    expect(url).toBe(
      'http://127.0.0.1:9000/my-bucket/pre%20fix%21/lakehouse/ac~me/a%3Db/part-00001.parquet?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260102%2Feu-central-1%2Fs3%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=900&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-SignedHeaders=host&X-Amz-Signature=2cf01419b769e49f04f59618ab1a14db30ee94e562175116368a406129af3b72',
    );
  });

  test('refuse lifetimes S3 does not accept', () => {
    const input = {
      objectUrl: new URL('https://b.s3.amazonaws.com/k'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 's' },
    };
    expect(() => presignS3Url({ ...input, expiresInSeconds: 0 })).toThrow(
      /between 1 second and 7 days/,
    );
    expect(() => presignS3Url({ ...input, expiresInSeconds: 604_801 })).toThrow(
      /between 1 second and 7 days/,
    );
  });
});
