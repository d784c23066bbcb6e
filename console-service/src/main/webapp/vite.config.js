// The console is static files served by console-service (Maven runs `npm run build -- --outDir ...`); `npx vite`
// serves it for development with /api proxied to a console-service on :8080.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: { target: 'es2020', sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
