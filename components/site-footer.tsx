export function SiteFooter() {
  return (
    <footer className="border-t">
      <div className="mx-auto w-full max-w-5xl px-5 py-6 text-sm text-muted-foreground sm:px-8">
        Inlet runs on the Prequel Import API: its own engine on this machine, or Prequel&apos;s
        hosted service.
      </div>
    </footer>
  );
}
