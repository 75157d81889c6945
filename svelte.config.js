import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    files: { src: 'app', routes: 'app/routes', lib: 'app/lib', appTemplate: 'app/app.html', hooks: { server: 'app/hooks.server', universal: 'app/hooks' } },
    // Cross-site form posts are refused by the API itself (see app/lib/server/api.ts), which
    // unlike Kit's check lets scripts without an Origin header (curl, the CLI) upload.
    csrf: { trustedOrigins: ['*'] }
  }
};
