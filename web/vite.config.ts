// Vite build of the UI. Preact's JSX goes through esbuild directly: no Babel plugin needed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // One JS chunk for the shell; hashed names let the server mark them immutable.
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npm run dev` proxies the API to a local `spanloop serve`.
    proxy: { '/api': process.env.SPANLOOP_URL ?? 'http://127.0.0.1:6900' },
  },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
