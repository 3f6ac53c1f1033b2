// What the receiver does with a delivery it means to accept: verify, de-duplicate, read the
// records, apply the control rules, store. Returns the answer to send; the HTTP shell decides
// whether the sender gets to see it.
import type { KeyObject } from 'node:crypto';
import { classifyDelivery, recordView, type RecordView } from './classify-delivery';
import type { Control } from './control-plan';
import { BatchFileError, type FetchBatchFileOptions, fetchBatchFile } from './fetch-batch-file';
import type { DeliveryKind, DeliveryOutcome, ReceiverStore } from './receiver-store';
import { type DeliveryHeaders, verifyDelivery } from './verify-delivery';

export interface DeliveryRequest {
  method: string;
  path: string;
  headers: DeliveryHeaders;
  rawBody: Buffer;
  receivedAt: string;
}

export interface AcceptResult {
  status: number;
  body: Record<string, unknown>;
  outcome: DeliveryOutcome;
  reason?: string;
  kind: DeliveryKind | null;
  loadId?: string | null;
  records: number;
  /** Bytes of a downloaded batch file. */
  fileBytes: number;
  deliveryId: string | null;
  provider: string | null;
}

export interface AcceptDeps {
  store: ReceiverStore;
  control: Control;
  publicKey: () => KeyObject;
  toleranceSeconds: number;
  nowMs: () => number;
  download: FetchBatchFileOptions;
}

const ACCEPTED = { status: 'accepted', message: 'Accepted for processing.' };

export function createDeliveryAcceptor(deps: AcceptDeps) {
  // A retry can arrive while the first attempt is still downloading its file; it waits for that
  // outcome instead of storing the same delivery twice or answering an error the sender would act
  // on.
  const inFlight = new Map<string, Promise<unknown>>();

  return async function acceptDelivery(request: DeliveryRequest): Promise<AcceptResult> {
    const verdict = verifyDelivery({
      headers: request.headers,
      rawBody: request.rawBody,
      publicKey: deps.publicKey(),
      nowMs: deps.nowMs(),
      toleranceSeconds: deps.toleranceSeconds,
    });
    if (!verdict.ok) {
      const deliveryId = headerText(request.headers, 'x-prequel-delivery-id');
      const provider = headerText(request.headers, 'x-prequel-import-provider');
      deps.store.logRejection({
        at: request.receivedAt,
        deliveryId,
        provider,
        path: request.path,
        reason: verdict.reason,
        message: verdict.message,
      });
      return failure(401, 'unverified', verdict.reason, verdict.message, { deliveryId, provider });
    }
    const { deliveryId, provider } = verdict;

    for (let pending = inFlight.get(deliveryId); pending; pending = inFlight.get(deliveryId))
      await pending;
    if (deps.store.wasDelivered(deliveryId)) {
      deps.store.noteDuplicate();
      return {
        status: 200,
        body: {
          status: 'duplicate',
          message: 'Already received; not stored again.',
          delivery_id: deliveryId,
        },
        outcome: 'duplicate',
        kind: null,
        records: 0,
        fileBytes: 0,
        deliveryId,
        provider,
      };
    }
    const work = store(request, deliveryId, provider);
    inFlight.set(
      deliveryId,
      work.catch(() => {}),
    );
    try {
      return await work;
    } finally {
      inFlight.delete(deliveryId);
    }
  };

  async function store(
    request: DeliveryRequest,
    deliveryId: string,
    provider: string,
  ): Promise<AcceptResult> {
    const ids = { deliveryId, provider };
    const classified = classifyDelivery({
      method: request.method,
      rawBody: request.rawBody,
      provider,
    });
    let kind: DeliveryKind;
    let views: RecordView[];
    let rawBody: string | undefined;
    let loadId: string | null = null;
    let fileBytes = 0;

    switch (classified.kind) {
      case 'invalid':
        if (classified.status === 401) {
          deps.store.logRejection({
            at: request.receivedAt,
            deliveryId,
            provider,
            path: request.path,
            reason: classified.reason,
            message: classified.message,
          });
          return failure(401, 'unverified', classified.reason, classified.message, ids);
        }
        return failure(classified.status, 'invalid', classified.reason, classified.message, ids);
      case 'record':
        kind = 'record';
        views = [
          classified.view ?? {
            record: null,
            key: null,
            isDeleted: request.method.toUpperCase() === 'DELETE',
          },
        ];
        rawBody = request.rawBody.toString('utf8');
        break;
      case 'batch-json':
        kind = 'batch-json';
        views = classified.records;
        loadId = classified.loadId;
        break;
      case 'batch-file': {
        kind = classified.format === 'csv' ? 'batch-csv' : 'batch-parquet';
        loadId = classified.loadId;
        try {
          const file = await fetchBatchFile(
            classified.presignedUrl,
            classified.format,
            deps.download,
          );
          views = file.records.map((item) => recordView(item, false));
          fileBytes = file.bytes;
        } catch (error) {
          if (!(error instanceof BatchFileError)) throw error;
          return {
            ...failure(error.status, 'failed', error.reason, error.message, ids),
            kind,
            loadId,
          };
        }
        break;
      }
    }

    const refused = deps.control.refusedRecords(
      views.map((view) => view.record),
      { path: request.path, provider },
    );
    if (refused.length > 0) {
      const message =
        `${refused.length} of ${views.length} record(s) refused by the receiver's ` +
        `control rules.`;
      return {
        status: 400,
        body: {
          status: 'rejected',
          reason: 'records_refused',
          message,
          rejected: refused.map((index) => ({ index, key: views[index]!.key })),
        },
        outcome: 'records_refused',
        reason: 'records_refused',
        kind,
        loadId,
        records: views.length,
        fileBytes,
        ...ids,
      };
    }

    deps.store.storeDelivery(
      { deliveryId, provider, path: request.path, kind, receivedAt: request.receivedAt },
      views.map((view) => (rawBody === undefined ? view : { ...view, rawBody })),
    );
    return {
      status: 200,
      body: { ...ACCEPTED, delivery_id: deliveryId, records: views.length },
      outcome: 'stored',
      kind,
      loadId,
      records: views.length,
      fileBytes,
      ...ids,
    };
  }
}

export type DeliveryAcceptor = ReturnType<typeof createDeliveryAcceptor>;

function failure(
  status: number,
  outcome: DeliveryOutcome,
  reason: string,
  message: string,
  ids: { deliveryId: string | null; provider: string | null },
): AcceptResult {
  return {
    status,
    body: { status: 'rejected', reason, message },
    outcome,
    reason,
    kind: null,
    records: 0,
    fileBytes: 0,
    ...ids,
  };
}

/** A header for the logs only, so bounded and printable whatever the sender put there. */
function headerText(headers: DeliveryHeaders, name: string): string | null {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  const text = Array.isArray(value) ? value.join(', ') : value;
  return text ? text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200) : null;
}
