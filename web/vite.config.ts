import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The built app is served by the parkhub binary itself (--web-root web/dist).
export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
