'use client';

import { ReasonedAction } from '@/components/support/reasoned-action';
import { type Extract, isActive, type Load } from '@/lib/prequel/contract/job';
import type { ProviderStatus } from '@/lib/status/load-status';
import {
  cancelTenantExtract,
  cancelTenantLoad,
  redeliverStream,
  rerunExtract,
  resyncDataset,
  rerunLoad,
  sendReconnectLink,
  setTenantStreamEnabled,
} from './actions';

/** The run in progress, if any (the newest run, queued or running). */
const activeRun = <T extends Extract | Load>(runs: T[]): T | null =>
  runs[0] && isActive(runs[0]) ? runs[0] : null;

/** The console's actions on one tenant; each asks for a reason that lands in the audit log. */
export function TenantActions({ status }: { status: ProviderStatus }) {
  const providerId = status.providerId;
  const { cancel: canCancel, resync: canResync } = status.features;
  return (
    <section
      aria-labelledby="actions-title"
      className="flex flex-col gap-4 rounded-xl border bg-card p-5"
    >
      <h2 id="actions-title" className="text-base font-semibold">
        Actions
      </h2>
      <ul className="flex flex-col gap-4 text-sm">
        {status.datasets.map((dataset) => (
          <li key={dataset.id} className="flex flex-wrap items-start justify-between gap-3">
            <span>Extract of {dataset.name}</span>
            <div className="flex flex-wrap gap-2">
              <ReasonedAction
                label={`Re-run extract of ${dataset.name}`}
                run={(reason) => rerunExtract({ providerId, datasetId: dataset.id, reason })}
              />
              {canResync ? (
                <ReasonedAction
                  label={`Re-sync all of ${dataset.name}`}
                  run={(reason) => resyncDataset({ providerId, datasetId: dataset.id, reason })}
                />
              ) : null}
              {canCancel && activeRun(dataset.extracts) ? (
                <ReasonedAction
                  label={`Cancel extract of ${dataset.name}`}
                  run={(reason) =>
                    cancelTenantExtract({
                      providerId,
                      extractId: activeRun(dataset.extracts)!.id,
                      reason,
                    })
                  }
                />
              ) : null}
            </div>
          </li>
        ))}
        {status.streams.map((stream) => (
          <li key={stream.id} className="flex flex-wrap items-start justify-between gap-3">
            <span>
              {stream.name} ({stream.isEnabled ? 'running' : 'paused'})
            </span>
            <div className="flex flex-wrap gap-2">
              <ReasonedAction
                label={`Re-run load of ${stream.name}`}
                run={(reason) => rerunLoad({ providerId, streamId: stream.id, reason })}
              />
              {canResync ? (
                <ReasonedAction
                  label={`Redeliver every record of ${stream.name}`}
                  run={(reason) => redeliverStream({ providerId, streamId: stream.id, reason })}
                />
              ) : null}
              {canCancel && activeRun(stream.loads) ? (
                <ReasonedAction
                  label={`Cancel load of ${stream.name}`}
                  run={(reason) =>
                    cancelTenantLoad({ providerId, loadId: activeRun(stream.loads)!.id, reason })
                  }
                />
              ) : null}
              <ReasonedAction
                label={`${stream.isEnabled ? 'Pause' : 'Resume'} ${stream.name}`}
                run={(reason) =>
                  setTenantStreamEnabled({
                    providerId,
                    streamId: stream.id,
                    enabled: !stream.isEnabled,
                    reason,
                  })
                }
              />
            </div>
          </li>
        ))}
        <li className="flex flex-wrap items-start justify-between gap-3">
          <span>A link for the tenant&apos;s DBA to update the database credentials</span>
          <ReasonedAction
            label="Send a reconnect link"
            run={(reason) => sendReconnectLink({ providerId, reason })}
            describe={(data) =>
              `Send this link (valid until ` +
              `${new Date(data.expiresAt).toLocaleTimeString('en')}): ` +
              `${window.location.origin}${data.url}` +
              (data.recorded ? '' : ' (not in the audit log: this Import API keeps no such trail)')
            }
          />
        </li>
      </ul>
    </section>
  );
}
