/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The engine is a separate process; keep Next from tracing or bundling it.
  outputFileTracingExcludes: { '*': ['engine/**', '.data/**'] },
  // forbidden(): a customer session on a support page gets a real 403.
  experimental: { authInterrupts: true },
};

export default nextConfig;
