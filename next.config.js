/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The engine is a separate process; keep Next from tracing or bundling it.
  outputFileTracingExcludes: { '*': ['engine/**', '.data/**'] },
  // forbidden(): a customer session on a support page gets a real 403.
  experimental: { authInterrupts: true },
  // The launch step was once called review: old links (and bookmarks) still land on it.
  async redirects() {
    return [{ source: '/connect/review', destination: '/connect/launch', permanent: true }];
  },
};

export default nextConfig;
