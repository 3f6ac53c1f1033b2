/** Renders a plain message, showing `backticked` parts (commands, variable names) as code. */
export function TextWithCode({ text }: { text: string }) {
  return text.split('`').map((part, index) =>
    index % 2 === 1 ? (
      <code
        key={index}
        className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em] text-foreground"
      >
        {part}
      </code>
    ) : (
      part
    ),
  );
}
