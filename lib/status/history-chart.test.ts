import { describe, expect, test } from 'vitest';
import {
  extract,
  failedLoad,
  jobError,
  load,
  NOW,
} from '@/lib/prequel/contract/health/fixtures.test-helpers';
import { runHistory } from '@/lib/prequel/contract/health/run-history';
import { historyChart, PLOT, roundUp } from './history-chart';

describe('roundUp', () => {
  test('the top of the axis is the next 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 1, 3, 7, 10, 11, 120, 300, 999, 1001].map(roundUp)).toEqual([
      1, 1, 5, 10, 10, 20, 200, 500, 1000, 2000,
    ]);
  });
});

describe('historyChart', () => {
  test('deliveries: one bar per load, oldest on the left, scaled to a round top with times below', () => {
    const points = runHistory(
      [],
      [
        load(60, { records_loaded: 300 }),
        load(30, { records_loaded: 150, records_errored: 50 }),
        failedLoad(5, jobError('destination_failed', 'destination')),
      ],
    );
    const chart = historyChart(points, { now: NOW, noun: 'records delivered' });
    expect(chart.yTicks.map((tick) => tick.label)).toEqual(['0', '250', '500']);
    expect(chart.yTicks[0]?.at).toBe(PLOT.bottom);
    expect(chart.yTicks[2]?.at).toBe(PLOT.top);
    expect(chart.xTicks.map((tick) => tick.label)).toEqual(['13:00', '13:55']);
    const [first, second, third] = chart.bars;
    expect(first!.x).toBeLessThan(second!.x);
    expect(first!.height).toBeCloseTo(((PLOT.bottom - PLOT.top) * 300) / 500);
    expect(second!.erroredHeight).toBeCloseTo(((PLOT.bottom - PLOT.top) * 50) / 500);
    expect(second!.erroredY + second!.erroredHeight).toBeCloseTo(second!.y);
    expect(second!.label).toBe('13:30: 150 records delivered, 50 failed');
    // A run that delivered nothing keeps a visible sliver.
    expect(third).toMatchObject({ status: 'failed', height: 1 });
    expect(third!.label).toBe('13:55: 0 records delivered, 20 failed (run failed)');
    expect(chart.summary).toBe(
      '3 runs from 13:00 to 13:55. Latest: 0 records delivered. ' +
        'Most in one run: 300 at 13:00. 1 failed.',
    );
  });

  test('large counts read short on the axis', () => {
    const points = runHistory([], [load(10, { records_loaded: 1_400_000 })]);
    const chart = historyChart(points, { now: NOW, noun: 'records delivered' });
    expect(chart.yTicks.map((tick) => tick.label)).toEqual(['0', '1M', '2M']);
  });

  test('extracts count what changed, and a middle time is added once there are five runs', () => {
    const points = runHistory(
      [100, 80, 60, 40, 20].map((minutes) => extract(minutes)),
      [],
    );
    const chart = historyChart(points, { now: NOW, noun: 'records changed' });
    expect(chart.xTicks.map((tick) => tick.label)).toEqual(['12:20', '13:00', '13:40']);
    expect(chart.bars[0]!.label).toBe('12:20: 20 records changed');
    expect(chart.bars.every((bar) => bar.x >= PLOT.left && bar.x + bar.width <= PLOT.right)).toBe(
      true,
    );
  });

  test('times more than a day away name the day, in the reader’s time zone', () => {
    const points = runHistory([extract(26 * 60), extract(0)], []);
    const chart = historyChart(points, {
      now: NOW,
      timeZone: 'Europe/Paris',
      noun: 'records changed',
    });
    expect(chart.xTicks.map((tick) => tick.label)).toEqual(['3 Mar, 13:00', '15:00']);
  });

  test('no runs: no bars, no times, and a summary that says so', () => {
    const chart = historyChart([], { now: NOW, noun: 'records delivered' });
    expect(chart.bars).toEqual([]);
    expect(chart.xTicks).toEqual([]);
    expect(chart.summary).toBe('No runs yet.');
  });
});
