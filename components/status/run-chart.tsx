import { useId } from 'react';
import type { RunPoint } from '@/lib/prequel/contract/health/run-history';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  historyChart,
  PLOT,
  pointValue,
} from '@/lib/status/history-chart';

const time = (at: Date) => at.toLocaleString('en');

/**
 * Records per run as bars over time, drawn as inline SVG (no chart library to load). A screen
 * reader gets the chart's name and a one-sentence summary, and the runs as a table.
 */
export function RunChart({
  label,
  noun,
  points,
}: {
  label: string;
  /** What a bar counts, after the number: "records delivered". */
  noun: string;
  points: RunPoint[];
}) {
  const id = useId();
  if (!points.length) return null;
  const chart = historyChart(points, {
    now: new Date(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    noun,
  });
  return (
    <figure className="flex flex-col gap-1">
      <figcaption id={`${id}-name`} className="text-xs font-medium text-muted-foreground">
        {label} (last {points.length})
      </figcaption>
      <svg
        role="img"
        aria-labelledby={`${id}-name ${id}-summary`}
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        className="h-auto w-full max-w-md text-[10px]"
      >
        {chart.yTicks.map((tick) => (
          <g key={tick.label}>
            <line
              x1={PLOT.left}
              x2={PLOT.right}
              y1={tick.at}
              y2={tick.at}
              className="stroke-border"
              strokeWidth={1}
            />
            <text
              x={PLOT.left - 4}
              y={tick.at}
              textAnchor="end"
              dominantBaseline="middle"
              className="fill-muted-foreground"
            >
              {tick.label}
            </text>
          </g>
        ))}
        <text
          transform={`translate(10 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="fill-muted-foreground"
        >
          Records
        </text>
        {chart.bars.map((bar, index) => (
          <g key={index}>
            <title>{bar.label}</title>
            <rect
              x={bar.x}
              y={bar.y}
              width={bar.width}
              height={bar.height}
              className={bar.status === 'failed' ? 'fill-danger' : 'fill-primary'}
            />
            {bar.erroredHeight > 0 ? (
              <rect
                x={bar.x}
                y={bar.erroredY}
                width={bar.width}
                height={bar.erroredHeight}
                className="fill-danger opacity-60"
              />
            ) : null}
          </g>
        ))}
        {chart.xTicks.map((tick, index) => (
          <text
            key={index}
            x={tick.at}
            y={PLOT.bottom + 14}
            textAnchor={
              chart.xTicks.length > 1 && index === 0
                ? 'start'
                : index === chart.xTicks.length - 1 && index > 0
                  ? 'end'
                  : 'middle'
            }
            className="fill-muted-foreground"
          >
            {tick.label}
          </text>
        ))}
        <text
          x={(PLOT.left + PLOT.right) / 2}
          y={CHART_HEIGHT - 4}
          textAnchor="middle"
          className="fill-muted-foreground"
        >
          Time the run ended
        </text>
      </svg>
      <p id={`${id}-summary`} className="sr-only">
        {chart.summary}
      </p>
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">{noun.charAt(0).toUpperCase() + noun.slice(1)}</th>
            <th scope="col">Failed</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.id}>
              <td>{time(point.at)}</td>
              <td>{pointValue(point)}</td>
              <td>{point.errored}</td>
              <td>{point.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
