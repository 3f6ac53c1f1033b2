// The calls every kind of job (extracts, loads) answers alike: get one, list them, cancel one.
import 'server-only';
import type { z } from 'zod';
import { requireCapability } from './capabilities';
import { type AuditNote, prequelFetch, type PrequelResult } from './client';
import { itemEnvelope, type Page, pageEnvelope, type PageQuery, pageParams } from './envelope';

export function jobEndpoints<Job extends z.ZodType>(definition: {
  key: string;
  plural: string;
  path: `/${string}`;
  schema: Job;
  /** The list filter naming the job's parent: `dataset_id`, `stream_id`. */
  parentFilter: string;
  /** What cancelling is called where the API lacks it: `cancelling a load`. */
  cancelling: string;
}) {
  const { key, plural, path, schema, parentFilter, cancelling } = definition;
  const item = itemEnvelope(key, schema);
  const page = pageEnvelope(plural, schema);
  const jobPath = (id: string): `/${string}` => `${path}/${encodeURIComponent(id)}`;
  type Result = Promise<PrequelResult<z.output<Job>>>;

  return {
    /** The envelope of one job, for the calls that start one. */
    item,
    get: (id: string): Result => prequelFetch(jobPath(id), item),
    list: (query: PageQuery, parentId?: string): Promise<PrequelResult<Page<z.output<Job>>>> =>
      prequelFetch(path, page, { query: { ...pageParams(query), [parentFilter]: parentId } }),
    cancel: async (id: string, { actor, reason }: AuditNote = {}): Result => {
      const supported = await requireCapability('cancel', cancelling);
      if (!supported.ok) return supported;
      return prequelFetch(`${jobPath(id)}/cancel`, item, {
        method: 'POST',
        audit: { actor, reason },
      });
    },
  };
}
