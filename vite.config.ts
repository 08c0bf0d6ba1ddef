import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, parseSync, type Plugin } from 'vite';

/** The widgets (`src/widgets/<name>/`); each has an entry `src/entries/<name>.ts` → `dist/<name>.js`. */
const widgets = readdirSync(new URL('src/widgets/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** What the only widget's entry file holds while there is one widget (everything but the locales and compa.js). */
const SINGLE_WIDGET_CHUNK =
  /\/src\/(core|schemas|widgets)\/|\/src\/generated\/locale-codes|\/src\/entries\/(?!compa\.ts)|\/node_modules\/(lit|lit-html|lit-element|@lit)\//;

/**
 * Library build of the embeddable widgets: `dist/compa.js` (every element) and `dist/<widget>.js` (one element),
 * ES modules sharing code (Lit + core) and one lazily loaded chunk per locale under `dist/chunks/` (hashed).
 * Chunks are imported relative to the importing module (`import.meta.url`), so the kit works from any URL.
 * Run through `npm run build` (`lit-localize build` first: it generates `src/generated/`).
 */
export default defineConfig({
  plugins: [litTemplates()],
  resolve: {
    // The generated locale modules import `str` from the @lit/localize barrel, which would keep its unused
    // runtime alive; point them at our two re-exports.
    alias: [{ find: /^@lit\/localize$/, replacement: fileURLToPath(new URL('src/core/msg.ts', import.meta.url)) }],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: false,
    minify: 'oxc',
    // No <link rel=modulepreload> injected into the host page, no preload helper in the bundle.
    modulePreload: false,
    lib: {
      entry: {
        compa: 'src/entries/compa.ts',
        ...Object.fromEntries(widgets.map((w) => [w, `src/entries/${w}.ts`])),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      // Our entries export nothing, so an entry chunk may hold shared modules (see manualChunks).
      preserveEntrySignatures: false,
      output: {
        chunkFileNames: 'chunks/[name]-[hash].js',
        // With several widgets, Rolldown's default splitting applies: Lit + core in one shared chunk, each
        // widget's code in its own. With a single widget that split would only add a facade: its entry file
        // holds everything (one request, one gzip stream) and compa.js imports it. Locales stay lazy chunks.
        // (Only our modules and Lit are named: other builds reusing this config, e.g. Storybook, are unaffected.)
        manualChunks:
          widgets.length === 1
            ? (id: string) => (SINGLE_WIDGET_CHUNK.test(id) ? widgets[0] : undefined)
            : undefined,
        // Vite keeps whitespace in ES library output (codegen off) so that consumers can re-minify;
        // these files are shipped as they are, so force the full minifier.
        minify: { compress: true, mangle: true, codegen: true },
        comments: false,
      },
    },
  },
});

type Node = { type: string; start: number; end: number; [key: string]: unknown };

/**
 * Shrinks our Lit sources before bundling (build only):
 * - drops the options argument of `msg(…, {desc})`: descriptions are notes for translators, extracted from the
 *   sources by lit-localize, and useless at run time (message ids hash the template, not the options);
 * - collapses line breaks and indentation inside `html` and `css` templates: to nothing between two tags,
 *   else to one space (same rendering: our templates never rely on a line break between two inline tags).
 * Templates passed to `msg()` are left byte for byte: their ids are hashes of their strings.
 */
function litTemplates(): Plugin {
  return {
    name: 'compa:lit-templates',
    apply: 'build',
    transform: {
      filter: { id: /\/src\/(core|widgets)\/.+\.ts$/ },
      handler(code, id) {
        const edits: [start: number, end: number, text: string][] = [];
        const visit = (node: unknown): void => {
          if (Array.isArray(node)) return node.forEach(visit);
          if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
          const n = node as Node;
          if (n.type === 'CallExpression' && (n.callee as Node).type === 'Identifier' && (n.callee as { name: string }).name === 'msg') {
            const [template, options] = n.arguments as Node[];
            const props = options?.type === 'ObjectExpression' ? (options.properties as Node[]) : [];
            if (props.length && props.every((p) => ((p.key as { name?: string })?.name ?? '') === 'desc')) {
              edits.push([template.end, options.end, '']);
            }
            return;
          }
          if (n.type === 'TaggedTemplateExpression' && (n.tag as Node).type === 'Identifier') {
            const tag = (n.tag as { name: string }).name;
            if (tag === 'html' || tag === 'css') {
              for (const q of (n.quasi as { quasis: Node[] }).quasis) {
                const raw = code.slice(q.start, q.end);
                const text = raw.replace(/>\s*\n\s*</g, '><').replace(/\s*\n\s*/g, ' ');
                if (text !== raw) edits.push([q.start, q.end, text]);
              }
            }
          }
          for (const key in n) if (key !== 'type') visit(n[key]);
        };
        visit(parseSync(id, code).program);
        if (!edits.length) return null;
        let out = code;
        for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
        return { code: out, map: null };
      },
    },
  };
}
