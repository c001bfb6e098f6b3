/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a WASM build and reads its own files at run time: bundling it breaks that.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pino', 'ws', 'better-auth', '@better-auth/api-key'],
  reactStrictMode: true,
};
export default nextConfig;
