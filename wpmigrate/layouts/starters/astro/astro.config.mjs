// Astro configuration written by wpmigrate for a converted WordPress site.
import { defineConfig } from "astro/config";

export default defineConfig({
  site: SITE_URL,
  trailingSlash: "ignore",
  build: { format: "directory" },
  markdown: { syntaxHighlight: false },
});
