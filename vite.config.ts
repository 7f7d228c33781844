// Build of the browser app: Svelte, module workers, the OCR assets served from our own origin,
// the Content-Security-Policy (meta tag in the built page, header from the preview server) and the PWA.
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as {
  version: string;
};

/** OCR assets (tesseract worker, LSTM wasm cores, English LSTM data) copied into dist/ocr at build time. */
function ocrAssets(): Plugin {
  const files: [string, string][] = [
    ['node_modules/tesseract.js/dist/worker.min.js', 'ocr/worker.min.js'],
    [
      'node_modules/tesseract.js-core/tesseract-core-lstm.wasm.js',
      'ocr/core/tesseract-core-lstm.wasm.js',
    ],
    [
      'node_modules/tesseract.js-core/tesseract-core-simd-lstm.wasm.js',
      'ocr/core/tesseract-core-simd-lstm.wasm.js',
    ],
    [
      'node_modules/tesseract.js-core/tesseract-core-relaxedsimd-lstm.wasm.js',
      'ocr/core/tesseract-core-relaxedsimd-lstm.wasm.js',
    ],
    [
      'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz',
      'ocr/lang/eng.traineddata.gz',
    ],
  ];
  return {
    name: 'cleanroom-ocr-assets',
    apply: 'build',
    writeBundle(options) {
      const out = options.dir ?? 'dist';
      for (const [from, to] of files) {
        const target = resolve(out, to);
        mkdirSync(resolve(target, '..'), { recursive: true });
        copyFileSync(resolve(import.meta.dirname, from), target);
      }
    },
  };
}

/** The CSP as a meta tag, in the built page only: Vite's dev server injects inline styles. */
function cspMeta(): Plugin {
  return {
    name: 'cleanroom-csp-meta',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace(
        '<head>',
        `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
      );
    },
  };
}

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [
    svelte(),
    cspMeta(),
    ocrAssets(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Cleanroom',
        short_name: 'Cleanroom',
        description: 'De-identify DICOM studies in your browser. Nothing leaves this computer.',
        theme_color: '#17324d',
        background_color: '#f7f8fa',
        display: 'standalone',
        start_url: '.',
        icons: [
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        ],
      },
      workbox: {
        // OCR assets are ~4 MB each; at Workbox's default 2 MiB they would be skipped silently.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,gz,json,webmanifest}'],
        navigateFallback: 'index.html',
        // The first install takes control of the open page at once, so it works offline without a
        // reload. Updates still wait for every tab to close (no skipWaiting): a running scan keeps
        // the chunks it started with.
        clientsClaim: true,
      },
    }),
  ],
  worker: { format: 'es' },
  // CLEANROOM_OUT lets parallel work build and preview side by side; CI and users get dist/.
  build: { target: 'es2022', sourcemap: true, outDir: process.env.CLEANROOM_OUT || 'dist' },
  preview: {
    host: '127.0.0.1',
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
  server: { host: '127.0.0.1' },
});
