import type { RunPoint } from '@/lib/prequel/contract/health/run-history';

/** Records per run as small stacked bars: new, updated, deleted; a table for screen readers. */
export function RunChart({ label, points }: { label: string; points: RunPoint[] }) {
  if (!points.length) return null;
  const max = Math.max(1, ...points.map((point) => point.new + point.updated + point.deleted));
  return (
    <figure className="flex flex-col gap-1">
      <div aria-hidden="true" className="flex h-16 items-end gap-1">
        {points.map((point, index) => {
          const total = point.new + point.updated + point.deleted;
          return (
            <div
              key={index}
              className="flex w-3 flex-col justify-end"
              title={`${new Date(point.at).toLocaleString('en')}: ${total} records`}
            >
              <div
                className={point.status === 'failed' ? 'bg-danger' : 'bg-primary'}
                style={{ height: `${Math.max(2, (total / max) * 64)}px` }}
              />
            </div>
          );
        })}
      </div>
      <figcaption className="text-xs text-muted-foreground">
        {label} (last {points.length})
      </figcaption>
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">New</th>
            <th scope="col">Updated</th>
            <th scope="col">Deleted</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point, index) => (
            <tr key={index}>
              <td>{new Date(point.at).toLocaleString('en')}</td>
              <td>{point.new}</td>
              <td>{point.updated}</td>
              <td>{point.deleted}</td>
              <td>{point.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
