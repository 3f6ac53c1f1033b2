'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import {
  resetTheDemo,
  setPresenterMode,
  startTheDemoOver,
  toggleScenario,
  toggleSimulator,
} from '@/lib/actions/demo';
import type { DemoResult } from '@/lib/demo/demo-control';
import type { DemoState, ScenarioName } from '@/lib/demo/demo-state';

const SCENARIO_TEXT: Record<ScenarioName, { title: string; body: string }> = {
  credentials_rotated: {
    title: 'Credentials rotated',
    body:
      'Acme’s DBA changed the password: extracts fail at sign-in, and it is the customer’s ' +
      'move.',
  },
  endpoint_500: {
    title: 'Endpoint returning 500s',
    body: 'Your endpoint fails every delivery: records wait and are retried, and it is your move.',
  },
  endpoint_slow: {
    title: 'Endpoint slow',
    body:
      'Your endpoint answers after the engine stops waiting: deliveries time out, and it is ' +
      'your move.',
  },
  schema_drift: {
    title: 'Schema drift',
    body: 'A mapped column is renamed in Acme’s database: the next extract says which one.',
  },
  large_table: {
    title: 'A 1M-row table',
    body: 'Adds a million-row table to Acme’s database, to import with a live progress bar.',
  },
};

/** The presenter's controls: scenarios, the change simulator, reset, presenter mode. */
export function DemoPanel({
  initial,
  presenting,
  problem,
}: {
  initial: DemoState | null;
  presenting: boolean;
  problem: string | null;
}) {
  const router = useRouter();
  const [state, setState] = useState(initial);
  const [message, setMessage] = useState(problem);
  const apply = useMutation({
    mutationFn: (run: () => Promise<DemoResult<DemoState>>) => run(),
    onSuccess: (result) => {
      if (result.ok) {
        setState(result.data);
        setMessage(null);
      } else setMessage(result.message);
    },
  });
  const presenter = useMutation({
    mutationFn: (on: boolean) => setPresenterMode(on),
    onSuccess: () => router.refresh(),
  });
  return (
    <section
      aria-labelledby="demo-controls-title"
      className="flex flex-col gap-5 rounded-xl border bg-card p-5"
    >
      <h2 id="demo-controls-title" className="text-base font-semibold">
        Demo scenarios
      </h2>
      {state ? (
        <ul className="flex flex-col gap-3">
          {(Object.keys(SCENARIO_TEXT) as ScenarioName[]).map((name) => {
            const on = state.scenarios[name].on;
            return (
              <li key={name} className="flex items-start justify-between gap-4">
                <div>
                  <p className="text-sm font-medium" id={`scenario-${name}`}>
                    {SCENARIO_TEXT[name].title}
                  </p>
                  <p className="text-xs text-muted-foreground">{SCENARIO_TEXT[name].body}</p>
                </div>
                <Button
                  size="sm"
                  variant={on ? 'primary' : 'outline'}
                  role="switch"
                  aria-checked={on}
                  aria-labelledby={`scenario-${name}`}
                  disabled={apply.isPending}
                  onClick={() => apply.mutate(() => toggleScenario({ name, on: !on }))}
                >
                  {on ? 'On' : 'Off'}
                </Button>
              </li>
            );
          })}
          <li className="flex items-start justify-between gap-4">
            <div>
              <p className="text-sm font-medium" id="scenario-simulator">
                Change simulator
              </p>
              <p className="text-xs text-muted-foreground">
                Inserts, updates and soft deletes in Acme’s database every{' '}
                {Math.round(state.simulator.everyMs / 1000)} s.
              </p>
            </div>
            <Button
              size="sm"
              variant={state.simulator.paused ? 'outline' : 'primary'}
              role="switch"
              aria-checked={!state.simulator.paused}
              aria-labelledby="scenario-simulator"
              disabled={apply.isPending}
              onClick={() => apply.mutate(() => toggleSimulator(!state.simulator.paused))}
            >
              {state.simulator.paused ? 'Paused' : 'Running'}
            </Button>
          </li>
        </ul>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <Button
          variant="outline"
          disabled={apply.isPending}
          onClick={() => apply.mutate(() => resetTheDemo())}
        >
          Reset demo
        </Button>
        <Button
          variant="outline"
          disabled={apply.isPending}
          onClick={() => apply.mutate(() => startTheDemoOver())}
        >
          Start over (remove Acme’s setup)
        </Button>
        <Button
          variant="outline"
          role="switch"
          aria-checked={presenting}
          disabled={presenter.isPending}
          onClick={() => presenter.mutate(!presenting)}
        >
          Presenter mode: {presenting ? 'on' : 'off'}
        </Button>
      </div>
      <p role="status" className="text-sm text-danger">
        {apply.isPending ? '' : (message ?? '')}
      </p>
      {apply.isPending ? <p className="text-sm text-muted-foreground">Switching…</p> : null}
    </section>
  );
}
