/** esbuild bundles the stylesheet the entry imports (src/console/serve.ts). */
declare module '*.css';
