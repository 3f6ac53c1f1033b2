// Pure: the receiver's failure script (what to answer to the next deliveries) and the rules that
// refuse records.
import { z } from 'zod';
import type { JsonValue } from './json-value';

// Final statuses only: a 1xx is not an answer a sender could act on.
const StatusSchema = z.number().int().min(200).max(599);
const TimesSchema = z.number().int().min(1).max(1_000_000).default(1);
const LatencySchema = z.number().int().min(0).max(600_000);

const RespondStepSchema = z
  .object({
    kind: z.literal('respond'),
    /**
     * 2xx: the delivery is verified and stored like any other; anything else is answered without
     * looking at it.
     */
    status: StatusSchema.default(200),
    times: TimesSchema,
    latencyMs: LatencySchema.optional(),
    /**
     * Sent verbatim as Retry-After: seconds (7) or any text, e.g. an HTTP-date or garbage to test
     * parsing.
     */
    retryAfter: z.union([z.number().int().min(0).max(1e9), z.string().min(1).max(200)]).optional(),
    /**
     * Retry-After as an HTTP-date this many seconds after the answer is written (a fixed date would
     * go stale).
     */
    retryAfterDateIn: z.number().int().min(-1e9).max(1e9).optional(),
    /**
     * For 3xx; defaults to the receiver's own redirect trap, which records whether a client
     * followed it.
     */
    location: z.string().min(1).max(2000).optional(),
    /** A response body of this many bytes, streamed, to prove the client caps what it reads. */
    bodyBytes: z.number().int().min(0).max(1e11).optional(),
  })
  .strict()
  .refine(
    (step) => step.retryAfter === undefined || step.retryAfterDateIn === undefined,
    'Give retryAfter or retryAfterDateIn, not both.',
  );

const DropStepSchema = z
  .object({ kind: z.literal('drop'), times: TimesSchema, latencyMs: LatencySchema.optional() })
  .strict();

const StallStepSchema = z
  .object({
    kind: z.literal('stall'),
    times: TimesSchema,
    latencyMs: LatencySchema.optional(),
    /**
     * Send the status line, headers and a first byte of body, then stall: catches clients that only
     * time the headers.
     */
    sendHeaders: z.boolean().default(false),
  })
  .strict();

const LoseAckStepSchema = z
  .object({ kind: z.literal('lose-ack'), times: TimesSchema, latencyMs: LatencySchema.optional() })
  .strict();

// A bare number is shorthand for a status, an object without `kind` is a response: `[500, {status:
// 429, retryAfter: 7}]`.
const StepSchema = z.preprocess(
  (value) => {
    if (typeof value === 'number') return { kind: 'respond', status: value };
    if (value && typeof value === 'object' && !Array.isArray(value) && !('kind' in value))
      return { ...value, kind: 'respond' };
    return value;
  },
  z.discriminatedUnion('kind', [
    RespondStepSchema,
    DropStepSchema,
    StallStepSchema,
    LoseAckStepSchema,
  ]),
);

const PrimitiveSchema = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

const RecordRuleSchema = z
  .object({
    /** A field of the record; dots reach into nested objects (`address.country`). */
    field: z.string().min(1).max(500),
    equals: PrimitiveSchema.optional(),
    oneOf: z.array(PrimitiveSchema).max(10_000).optional(),
  })
  .strict()
  .refine(
    (rule) => (rule.equals === undefined) !== (rule.oneOf === undefined),
    'A rule needs exactly one of equals or oneOf.',
  );

/**
 * What a plan (or one route of it) scripts: the answers to deliveries, added latency, refused
 * records.
 */
const planFields = {
  /** Consumed one delivery request each, in arrival order (`times` repeats a step). */
  sequence: z.array(StepSchema).max(10_000).default([]),
  /** What every request after the sequence gets; by default, acceptance. */
  then: StepSchema.optional(),
  /** Added to every delivery request, fixed or uniformly random between min and max. */
  latencyMs: z
    .union([
      LatencySchema,
      z
        .object({ min: LatencySchema, max: LatencySchema })
        .strict()
        .refine((range) => range.min <= range.max, 'min must not exceed max.'),
    ])
    .default(0),
  /**
   * A delivery holding any record that matches is refused whole with 400, as a strict SaaS would.
   */
  rejectRecords: z.array(RecordRuleSchema).max(1000).default([]),
};

/**
 * A plan of its own for some deliveries: those from one provider (the X-Prequel-Import-Provider
 * header, read before verification) and/or to paths under a prefix. One endpoint can then fail for
 * one tenant and work for the others.
 */
const RouteSchema = z
  .object({
    provider: z.string().min(1).max(200).optional(),
    pathPrefix: z.string().startsWith('/').max(2000).optional(),
    ...planFields,
  })
  .strict()
  .refine(
    (route) => route.provider !== undefined || route.pathPrefix !== undefined,
    'A route needs a provider, a pathPrefix, or both.',
  );

export const ControlPlanSchema = z
  .object({
    ...planFields,
    /**
     * The first route matching a delivery plays its own plan (its own place in its sequence); the
     * rest get the plan above.
     */
    routes: z.array(RouteSchema).max(100).default([]),
  })
  .strict();

export type ControlPlanInput = z.input<typeof ControlPlanSchema>;
export type ControlPlan = z.output<typeof ControlPlanSchema>;
export type ControlStep = z.output<typeof StepSchema>;
export type RecordRule = z.output<typeof RecordRuleSchema>;
/** JS callers may also refuse records with a function (not expressible over HTTP). */
export type RecordPredicate = (record: JsonValue) => boolean;

const ACCEPT: ControlStep = { kind: 'respond', status: 200, times: 1 };

/**
 * The step for one request: which step of the script it was, and the latency to add before acting.
 */
export type ScriptedStep = ControlStep & { delayMs: number; ordinal: number };

export interface ControlLogEntry {
  at: string;
  change: 'set' | 'reset';
  via: 'http' | 'js';
  plan: ControlPlan;
  rejectWhen: boolean;
}

export interface ControlSnapshot {
  plan: ControlPlan;
  /** Requests the sequence still scripts before `then` applies (deliveries no route takes). */
  remaining: number;
  /** Delivery requests seen since the plan was set, routed ones included. */
  requests: number;
  /** The same two counts for each route, in the plan's order. */
  routes: { provider?: string; pathPrefix?: string; remaining: number; requests: number }[];
  log: ControlLogEntry[];
}

/** Who a delivery is from and where it goes: what routes match on. */
export interface DeliveryTarget {
  path?: string;
  provider?: string | null;
}

type PlanPart = Pick<ControlPlan, 'sequence' | 'then' | 'latencyMs' | 'rejectRecords'>;

/** A place in one plan part's sequence. */
function createCursor(part: PlanPart) {
  let stepIndex = 0;
  let usedOfStep = 0;
  let requests = 0;
  return {
    part,
    get requests() {
      return requests;
    },
    next(random: () => number, ordinal: number): ScriptedStep {
      requests++;
      let step: ControlStep;
      const current = part.sequence[stepIndex];
      if (current) {
        step = current;
        usedOfStep++;
        if (usedOfStep >= current.times) {
          stepIndex++;
          usedOfStep = 0;
        }
      } else {
        step = part.then ?? ACCEPT;
      }
      const base =
        typeof part.latencyMs === 'number'
          ? part.latencyMs
          : part.latencyMs.min +
            Math.floor(random() * (part.latencyMs.max - part.latencyMs.min + 1));
      return { ...step, delayMs: base + (step.latencyMs ?? 0), ordinal };
    },
    remaining(): number {
      return part.sequence.slice(stepIndex).reduce((sum, step) => sum + step.times, 0) - usedOfStep;
    },
  };
}

type Cursor = ReturnType<typeof createCursor>;

const MAX_LOG = 1000;

export function createControl(options: { random?: () => number; now?: () => Date } = {}) {
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  let plan = ControlPlanSchema.parse({});
  let rejectWhen: RecordPredicate | undefined;
  let main: Cursor = createCursor(plan);
  let routes: Cursor[] = [];
  let requests = 0;
  const log: ControlLogEntry[] = [];

  const record = (change: ControlLogEntry['change'], via: ControlLogEntry['via']) => {
    log.push({ at: now().toISOString(), change, via, plan, rejectWhen: rejectWhen !== undefined });
    if (log.length > MAX_LOG) log.shift();
  };

  const restart = () => {
    main = createCursor(plan);
    routes = plan.routes.map(createCursor);
    requests = 0;
  };

  const cursorFor = (target: DeliveryTarget = {}): Cursor => {
    const index = plan.routes.findIndex(
      (route) =>
        (route.provider === undefined || route.provider === target.provider) &&
        (route.pathPrefix === undefined || (target.path ?? '/').startsWith(route.pathPrefix)),
    );
    return index === -1 ? main : routes[index]!;
  };

  return {
    /**
     * Replaces the plan; throws a ZodError for a malformed one, leaving the current plan in place.
     */
    set(
      input: unknown,
      via: ControlLogEntry['via'] = 'js',
      predicate?: RecordPredicate,
    ): ControlPlan {
      plan = ControlPlanSchema.parse(input ?? {});
      rejectWhen = predicate;
      restart();
      record('set', via);
      return plan;
    },

    /**
     * Back to defaults; `forgetLog` also empties the change log (a fresh receiver), keeping only
     * this reset.
     */
    reset(via: ControlLogEntry['via'] = 'js', forgetLog = false) {
      if (forgetLog) log.length = 0;
      plan = ControlPlanSchema.parse({});
      rejectWhen = undefined;
      restart();
      record('reset', via);
    },

    /**
     * Takes the next step; called once per delivery request, synchronously on arrival, so order is
     * arrival order.
     */
    next(target?: DeliveryTarget): ScriptedStep {
      requests++;
      return cursorFor(target).next(random, requests);
    },

    /** The index of each record the plan (or the delivery's route) refuses. */
    refusedRecords(records: readonly JsonValue[], target?: DeliveryTarget): number[] {
      const rules = cursorFor(target).part.rejectRecords;
      if (rules.length === 0 && !rejectWhen) return [];
      const refused: number[] = [];
      records.forEach((item, index) => {
        if (rules.some((rule) => matchesRule(item, rule)) || rejectWhen?.(item))
          refused.push(index);
      });
      return refused;
    },

    snapshot(): ControlSnapshot {
      return {
        plan,
        remaining: main.remaining(),
        requests,
        routes: plan.routes.map((route, index) => ({
          provider: route.provider,
          pathPrefix: route.pathPrefix,
          remaining: routes[index]!.remaining(),
          requests: routes[index]!.requests,
        })),
        log: [...log],
      };
    },
  };
}

export type Control = ReturnType<typeof createControl>;

/**
 * Primitives compare by their text too, because CSV (and DuckDB's exact numbers) deliver every
 * value as a string.
 */
export function matchesRule(record: JsonValue, rule: RecordRule): boolean {
  const value = fieldAt(record, rule.field);
  if (value === undefined || (value !== null && typeof value === 'object')) return false;
  const candidates = rule.oneOf ?? [rule.equals ?? null];
  return candidates.some(
    (candidate) =>
      candidate === value ||
      (candidate !== null && value !== null && String(candidate) === String(value)),
  );
}

function fieldAt(record: JsonValue, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = record;
  for (const part of path.split('.')) {
    if (
      value === null ||
      typeof value !== 'object' ||
      Array.isArray(value) ||
      !Object.hasOwn(value, part)
    )
      return undefined;
    value = value[part];
  }
  return value;
}
