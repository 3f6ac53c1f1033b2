// Compiles Prequel request templates (uri, headers, body): Go text/template syntax, rendered
// against plain JS data such as { Record, IsDeleted, ProviderID } or { Records, ProviderID, LoadID
// }.
import { executeTemplate, type RenderResult } from './execute';
import { builtinFunctions } from './functions';
import {
  parseTemplate,
  type ListNode,
  type OperandNode,
  type ParsedTemplate,
  type PipeNode,
  type Segment,
  type TemplateError,
} from './parser';

export type { TemplateError } from './parser';

export type RenderOptions = { maxOutputLength?: number; maxSteps?: number };

export type CompiledTemplate = {
  source: string;
  render(data: unknown, options?: RenderOptions): RenderResult;
};

export const DEFAULT_MAX_OUTPUT_LENGTH = 5 * 1024 * 1024;
export const DEFAULT_MAX_STEPS = 1_000_000;

const FUNCTION_NAMES: ReadonlySet<string> = new Set(builtinFunctions.keys());
const parsedTemplates = new WeakMap<CompiledTemplate, ParsedTemplate>();

export function compileTemplate(
  source: string,
  options: { name?: string } = {},
): { ok: true; template: CompiledTemplate } | { ok: false; error: TemplateError } {
  const parsed = parseTemplate(source, {
    name: options.name ?? 'template',
    functions: FUNCTION_NAMES,
  });
  if (!parsed.ok) return parsed;
  const template: CompiledTemplate = Object.freeze({
    source,
    render: (data: unknown, renderOptions: RenderOptions = {}) =>
      executeTemplate(parsed.template, data, {
        maxOutputLength: renderOptions.maxOutputLength ?? DEFAULT_MAX_OUTPUT_LENGTH,
        maxSteps: renderOptions.maxSteps ?? DEFAULT_MAX_STEPS,
      }),
  });
  parsedTemplates.set(template, parsed.template);
  return { ok: true, template };
}

// --- references ----------------------------------------------------------------------------------

/** A path from the template's data root; '*' stands for any element of a list, null for unknown. */
type DataPath = readonly (string | number)[] | null;
type Scope = { dot: DataPath; vars: Map<string, DataPath> };

function append(base: DataPath, path: readonly Segment[]): DataPath {
  if (!base) return null;
  return [
    ...base,
    ...path.map((segment) => (segment.kind === 'field' ? segment.name : segment.index)),
  ];
}

/** The data path an operand stands for, when it can be known without running the template. */
function operandPath(operand: OperandNode, scope: Scope): DataPath {
  switch (operand.type) {
    case 'dot':
      return scope.dot;
    case 'field':
      return append(scope.dot, operand.path);
    case 'variable':
      return append(scope.vars.get(operand.name) ?? null, operand.path);
    case 'pipe':
      return pipePath(operand, scope);
    case 'chain':
      return operand.base.type === 'pipe'
        ? append(pipePath(operand.base, scope), operand.path)
        : null;
    default:
      return null;
  }
}

/**
 * A pipeline of a single plain operand (`.Record`, `$r.address`) stands for that operand's path.
 */
function pipePath(pipe: PipeNode, scope: Scope): DataPath {
  const [cmd] = pipe.cmds;
  const [operand] = cmd?.args ?? [];
  if (pipe.cmds.length !== 1 || !cmd || cmd.args.length !== 1 || !operand) return null;
  return operandPath(operand, scope);
}

/** The record field a data path reads: `.Record.address.city` and `.Records[0].email` count. */
function recordField(path: DataPath): string | null {
  if (!path) return null;
  let rest: readonly (string | number)[];
  if (path[0] === 'Record') rest = path.slice(1);
  else if (path[0] === 'Records' && (typeof path[1] === 'number' || path[1] === '*'))
    rest = path.slice(2);
  else return null;
  const fields: string[] = [];
  for (const step of rest) {
    if (typeof step !== 'string' || step === '*' || step === 'AsJson') break;
    fields.push(step);
  }
  return fields.length > 0 ? fields.join('.') : null;
}

type Collector = {
  templates: ReadonlyMap<string, ListNode>;
  calling: Set<string>;
  found: Set<string>;
};

function collectPipe(pipe: PipeNode, scope: Scope, collector: Collector): void {
  for (const cmd of pipe.cmds) {
    const [head, base, ...keys] = cmd.args;
    // `index .Record "email"` reads a field as surely as `.Record.email` does.
    if (head?.type === 'identifier' && head.name === 'index' && base) {
      let path = operandPath(base, scope);
      for (const key of keys) {
        if (!path) break;
        path =
          key.type === 'string'
            ? [...path, key.value]
            : key.type === 'number'
              ? [...path, '*']
              : null;
      }
      const field = recordField(path);
      if (field) collector.found.add(field);
    }
    for (const arg of cmd.args) {
      const field = recordField(operandPath(arg, scope));
      if (field) collector.found.add(field);
      if (arg.type === 'pipe') collectPipe(arg, scope, collector);
      if (arg.type === 'chain' && arg.base.type === 'pipe') collectPipe(arg.base, scope, collector);
    }
  }
}

function declare(pipe: PipeNode, scope: Scope, values: DataPath[]): void {
  pipe.decl.forEach((variable, i) => scope.vars.set(variable.name, values[i] ?? null));
}

function collectList(list: ListNode, scope: Scope, collector: Collector): void {
  for (const node of list.nodes) {
    switch (node.type) {
      case 'action':
        collectPipe(node.pipe, scope, collector);
        declare(node.pipe, scope, [pipePath(node.pipe, scope)]);
        break;
      case 'if':
      case 'with':
      case 'range': {
        collectPipe(node.pipe, scope, collector);
        const inner: Scope = { dot: scope.dot, vars: new Map(scope.vars) };
        const value = pipePath(node.pipe, scope);
        if (node.type === 'range') {
          const element = value ? [...value, '*'] : null;
          declare(node.pipe, inner, node.pipe.decl.length > 1 ? [null, element] : [element]);
          inner.dot = element;
        } else {
          declare(node.pipe, inner, [value]);
          if (node.type === 'with') inner.dot = value;
        }
        collectList(node.list, inner, collector);
        if (node.elseList)
          collectList(node.elseList, { dot: scope.dot, vars: new Map(inner.vars) }, collector);
        break;
      }
      case 'template': {
        if (node.pipe) collectPipe(node.pipe, scope, collector);
        const body = collector.templates.get(node.name);
        // A called template starts over with dot (and $) set to the argument; recursion is visited
        // once.
        if (body && !collector.calling.has(node.name)) {
          const dot = node.pipe ? pipePath(node.pipe, scope) : null;
          collector.calling.add(node.name);
          collectList(body, { dot, vars: new Map([['$', dot]]) }, collector);
          collector.calling.delete(node.name);
        }
        break;
      }
    }
  }
}

/**
 * The record fields a template reads, as dotted paths under `.Record` (or `.Records[N]`), in order
 * of first use: `{{.Record.email}}/{{.Record.address.city}}` gives ['email', 'address.city']. Used
 * to check that a URI only uses fields of the record schema. Reads the analysis cannot follow
 * (through variables set from function results, say) are not reported.
 */
export function templateReferences(template: CompiledTemplate): string[] {
  const parsed = parsedTemplates.get(template);
  const main = parsed?.templates.get(parsed.name);
  if (!parsed || !main) return [];
  const collector: Collector = {
    templates: parsed.templates,
    calling: new Set([parsed.name]),
    found: new Set(),
  };
  collectList(main, { dot: [], vars: new Map([['$', []]]) }, collector);
  return [...collector.found];
}
