// The one place that decides whether a session may touch an object: each id a server action
// receives passes here.
import 'server-only';
import { getDataset, getExtract } from '@/lib/prequel/datasets';
import { getDestination } from '@/lib/prequel/destinations';
import { listProducts, getProvider } from '@/lib/prequel/providers';
import { fetchAllPages } from '@/lib/prequel/pagination';
import { failure, type PrequelResult } from '@/lib/prequel/client';
import { getSource } from '@/lib/prequel/sources';
import { getLoad, getStream } from '@/lib/prequel/streams';
import type { CustomerSession } from './session';

// Someone else's object answers exactly like a missing one: a session learns nothing about other
// tenants.
const notYours = (kind: string) =>
  failure('not_found', `This ${kind} does not exist, or belongs to another account.`, 404);

async function owned<T extends { provider_id: string }>(
  session: CustomerSession,
  kind: string,
  fetched: Promise<PrequelResult<T>>,
): Promise<PrequelResult<T>> {
  const result = await fetched;
  if (!result.ok) return result.error.status === 404 ? notYours(kind) : result;
  return result.data.provider_id === session.providerId ? result : notYours(kind);
}

export const ownedSource = (session: CustomerSession, id: string) =>
  owned(session, 'source', getSource(id));
export const ownedDataset = (session: CustomerSession, id: string) =>
  owned(session, 'dataset', getDataset(id));
export const ownedStream = (session: CustomerSession, id: string) =>
  owned(session, 'stream', getStream(id));

/**
 * A job is the session's when its dataset or stream is; a missing job and someone else's answer
 * alike.
 */
async function ownedJob<Job>(
  session: CustomerSession,
  kind: string,
  fetched: Promise<PrequelResult<Job>>,
  parent: (job: Job) => Promise<PrequelResult<unknown>>,
): Promise<PrequelResult<Job>> {
  const job = await fetched;
  if (!job.ok) return job.error.status === 404 ? notYours(kind) : job;
  const owner = await parent(job.data);
  if (!owner.ok) return owner.error.status === 404 ? notYours(kind) : owner;
  return job;
}

export const ownedExtract = (session: CustomerSession, id: string) =>
  ownedJob(session, 'import run', getExtract(id), (extract) =>
    ownedDataset(session, extract.dataset_id),
  );
export const ownedLoad = (session: CustomerSession, id: string) =>
  ownedJob(session, 'import run', getLoad(id), (load) => ownedStream(session, load.stream_id));

/** The destination ids the provider's products give it ("all" gives every destination). */
export async function availableDestinationIds(
  session: CustomerSession,
): Promise<PrequelResult<Set<string> | 'all'>> {
  const provider = await getProvider(session.providerId);
  if (!provider.ok) return provider;
  const names = new Set(provider.data.products);
  const products = await fetchAllPages((cursor) => listProducts({ cursor, pageSize: 100 }), {
    maxPages: 20,
  });
  if (!products.ok) return products;
  const ids = new Set<string>();
  for (const product of products.data.items) {
    if (!names.has(product.name)) continue;
    if (product.is_builtin || product.name === 'all') return { ok: true, data: 'all' };
    for (const id of product.destinations) ids.add(id);
  }
  return { ok: true, data: ids };
}

export async function availableDestination(session: CustomerSession, id: string) {
  const available = await availableDestinationIds(session);
  if (!available.ok) return available;
  if (available.data !== 'all' && !available.data.has(id)) return notYours('destination');
  const destination = await getDestination(id);
  return !destination.ok && destination.error.status === 404
    ? notYours('destination')
    : destination;
}
