/**
 * Function help for the expression editor: what a customer needs most often, with examples on their
 * columns.
 */
const EXAMPLES = [
  { code: 'lower(email)', what: 'Text in lower case' },
  { code: 'first_name + " " + last_name', what: 'Join text' },
  { code: 'int(external_ref)', what: 'Text to a whole number' },
  { code: 'float(amount)', what: 'Text to a number' },
  { code: 'string(id)', what: 'A number as text' },
  { code: 'is_deleted == "t"', what: 'Yes/no from a flag' },
  { code: 'plan ?? "free"', what: 'A default when empty' },
  { code: 'IF(country == "US", "domestic", "international")', what: 'Choose between two values' },
  { code: 'TIMESTAMPVALUE(signup_at)', what: 'Text to a timestamp' },
] as const;

export function ExpressionHelp({ columns }: { columns: string[] }) {
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-muted-foreground">Functions and examples</summary>
      <p className="mt-2 text-muted-foreground">
        Use column names as they are: {columns.slice(0, 8).join(', ')}
        {columns.length > 8 ? '…' : ''}
      </p>
      <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
        {EXAMPLES.map((example) => (
          <div key={example.code} className="contents">
            <dt>
              <code className="rounded bg-muted px-1">{example.code}</code>
            </dt>
            <dd className="text-muted-foreground">{example.what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
