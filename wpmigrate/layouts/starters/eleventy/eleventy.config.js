// Eleventy 3 configuration written by wpmigrate for a converted WordPress site.
module.exports = function (eleventyConfig) {
  // every converted item is rendered with the one layout in _includes/
  eleventyConfig.addGlobalData("layout", "base.njk");
  eleventyConfig.addGlobalData("site", SITE_DATA);
  eleventyConfig.addFilter("isoDate", (date) => (date instanceof Date ? date.toISOString() : String(date)));
  eleventyConfig.addFilter("day", (date) => (date instanceof Date ? date.toISOString() : String(date)).slice(0, 10));
  eleventyConfig.ignores.add("README.md");
  // comments are Markdown: rendered by the same markdown-it instance as the posts
  let markdown = null;
  eleventyConfig.amendLibrary("md", (library) => {
    markdown = library;
  });
  eleventyConfig.addFilter("markdownify", (text) => {
    const source = String(text ?? "");
    if (markdown) return markdown.render(source);
    const escaped = source.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return `<p>${escaped}</p>`;
  });
  // MEDIA
  return {
    // the posts' text is no template: "{{" in a post stays as written
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    dir: { input: ".", includes: "_includes" },
  };
};
