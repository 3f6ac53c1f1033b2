/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The engine is a separate process; keep Next from tracing or bundling it.
  outputFileTracingExcludes: { '*': ['engine/**', '.data/**'] },
};

export default nextConfig;
