// Pure: a run history as a bar chart's geometry (bars, axis ticks with times) and the one-sentence
// summary a screen reader gets in its place.
import { clockTime } from '@/lib/prequel/contract/health/human-duration';
import type { RunPoint } from '@/lib/prequel/contract/health/run-history';

export const CHART_WIDTH = 320;
export const CHART_HEIGHT = 132;
/** Room for the y axis's numbers and title on the left, the times and x title underneath. */
export const PLOT = { left: 44, top: 8, right: CHART_WIDTH - 8, bottom: CHART_HEIGHT - 36 };

export type ChartBar = {
  x: number;
  width: number;
  /** The records that went through: top edge and height. */
  y: number;
  height: number;
  /** The records that failed, stacked on top. */
  erroredY: number;
  erroredHeight: number;
  status: RunPoint['status'];
  /** A tooltip: "14:05: 120 records". */
  label: string;
};
export type Tick = { at: number; label: string };
export type HistoryChart = {
  bars: ChartBar[];
  yTicks: Tick[];
  xTicks: Tick[];
  summary: string;
};

const number = (value: number) => value.toLocaleString('en');
// The axis has room for a few characters: 250, 1.5K, 2M.
const compact = new Intl.NumberFormat('en', { notation: 'compact' });

/** An extract's records that changed; a load's records delivered. */
export function pointValue(point: RunPoint): number {
  return point.kind === 'extract' ? point.new + point.updated + point.deleted : point.loaded;
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value`, so the top tick is a round number. */
export function roundUp(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

export function historyChart(
  points: readonly RunPoint[],
  { now, timeZone = 'UTC', noun }: { now: Date; timeZone?: string; noun: string },
): HistoryChart {
  const top = roundUp(Math.max(0, ...points.map((point) => pointValue(point) + point.errored)));
  const plotHeight = PLOT.bottom - PLOT.top;
  const slot = (PLOT.right - PLOT.left) / Math.max(points.length, 1);
  const width = Math.max(2, Math.min(24, slot * 0.7));
  const scale = (value: number) => (value / top) * plotHeight;
  const time = (point: RunPoint) => clockTime(point.at, now, timeZone);
  const bars = points.map((point, index): ChartBar => {
    const value = pointValue(point);
    // A run that moved nothing still shows as a sliver, so a gap never reads as a missing run.
    const height = Math.max(1, scale(value));
    const erroredHeight = scale(point.errored);
    const x = PLOT.left + slot * index + (slot - width) / 2;
    return {
      x,
      width,
      y: PLOT.bottom - height,
      height,
      erroredY: PLOT.bottom - height - erroredHeight,
      erroredHeight,
      status: point.status,
      label:
        `${time(point)}: ${number(value)} ${noun}` +
        (point.errored ? `, ${number(point.errored)} failed` : '') +
        (point.status === 'failed' ? ' (run failed)' : ''),
    };
  });
  const centre = (index: number) => PLOT.left + slot * index + slot / 2;
  const tickIndexes = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  const xTicks = points.length
    ? tickIndexes
        .filter((index) => index === 0 || index === points.length - 1 || points.length >= 5)
        .map((index) => ({ at: centre(index), label: time(points[index]!) }))
    : [];
  const yTicks = [0, top / 2, top]
    .filter((value) => Number.isInteger(value))
    .map((value) => ({ at: PLOT.bottom - scale(value), label: compact.format(value) }));
  return { bars, xTicks, yTicks, summary: summaryOf(points, time, noun) };
}

function summaryOf(points: readonly RunPoint[], time: (point: RunPoint) => string, noun: string) {
  if (!points.length) return 'No runs yet.';
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const most = points.reduce((best, point) =>
    pointValue(point) > pointValue(best) ? point : best,
  );
  const failed = points.filter((point) => point.status === 'failed').length;
  const runs = `${points.length} run${points.length === 1 ? '' : 's'}`;
  return (
    `${runs} ${points.length === 1 ? 'at' : `from ${time(first)} to`} ${time(last)}. ` +
    `Latest: ${number(pointValue(last))} ${noun}. ` +
    `Most in one run: ${number(pointValue(most))} at ${time(most)}.` +
    (failed ? ` ${failed} failed.` : '')
  );
}
