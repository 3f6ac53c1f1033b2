// The public entry point of the expression engine: compiles expr-lang source (with Prequel's
// helpers) once, then evaluates it against rows. Bad input of any kind comes back as a value, never
// a throw.
import { analyzeExpression } from './analyze-expression';
import type { RegexAllowance } from './compile-regex';
import { evaluate } from './evaluate';
import { parse } from './parser';
import { EvaluationBudget, ExprRuntimeError } from './runtime-context';

/**
 * `offset` is a 0-based UTF-16 index into the source; `line` and `column` are 1-based, columns in
 * code points.
 */
export type ExprError = {
  message: string;
  position: { offset: number; line: number; column: number };
};

export type EvaluateOptions = {
  /** The clock for now(), TODAY() and friends; defaults to the current time. */
  now?: Date;
  /** Evaluation steps (node visits and loop iterations) allowed; default 100_000. */
  maxSteps?: number;
  /** Longest string or array an evaluation may build; default 1_000_000. */
  maxOutputLength?: number;
  /** Wall-clock milliseconds the evaluation may take, counted from `startedAt`; default 100. */
  maxMilliseconds?: number;
  /**
   * When that time began (performance.now()), so several evaluations (one record's) can share it;
   * default: now.
   */
  startedAt?: number;
};

/** `fix` says what to change when the message alone does not (a spent budget). */
export type EvalResult =
  { ok: true; value: unknown } | { ok: false; error: { message: string; fix?: string } };

export type CompiledExpression = {
  source: string;
  /** Free variables the expression reads, e.g. column names, in order of first use. */
  identifiers: string[];
  /** It uses `$env` as a value, so it may read columns not among `identifiers`. */
  readsAllColumns: boolean;
  evaluate(env: Record<string, unknown>, options?: EvaluateOptions): EvalResult;
};

export type CompileOptions = {
  /**
   * Shared by expressions compiled together (a stream's mappings), so their literal patterns are
   * bounded as a whole.
   */
  regexAllowance?: RegexAllowance;
};

export function compileExpression(
  source: string,
  options: CompileOptions = {},
): { ok: true; expression: CompiledExpression } | { ok: false; error: ExprError } {
  const parsed = parse(source);
  if (!parsed.ok)
    return {
      ok: false,
      error: { message: parsed.error.message, position: positionOf(source, parsed.error.offset) },
    };
  const analysis = analyzeExpression(parsed.node, options.regexAllowance);
  if (!analysis.ok)
    return {
      ok: false,
      error: {
        message: analysis.error.message,
        position: positionOf(source, analysis.error.offset),
      },
    };
  const root = parsed.node;
  const budget = new EvaluationBudget();
  return {
    ok: true,
    expression: {
      source,
      identifiers: analysis.identifiers,
      readsAllColumns: analysis.readsAllColumns,
      evaluate(env, options = {}) {
        try {
          return { ok: true, value: evaluate(root, env, budget.begin(options)) };
        } catch (error) {
          if (error instanceof ExprRuntimeError)
            return {
              ok: false,
              error:
                error.fix === undefined
                  ? { message: error.message }
                  : { message: error.message, fix: error.fix },
            };
          // The engine's own limits should trip first; a RangeError (huge BigInt, invalid Date,
          // exhausted stack) is still a property of the expression and its input, not an engine
          // bug.
          if (error instanceof RangeError)
            return {
              ok: false,
              error: { message: `expression exceeded resource limits: ${error.message}` },
            };
          throw error;
        }
      },
    },
  };
}

function positionOf(source: string, offset: number): ExprError['position'] {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return {
    offset,
    line: before.split('\n').length,
    column: Array.from(before.slice(lineStart)).length + 1,
  };
}
