// Eleventy 3 configuration written by wpmigrate for a converted WordPress site.
module.exports = function (eleventyConfig) {
  // every converted item is rendered with the one layout in _includes/
  eleventyConfig.addGlobalData("layout", "base.njk");
  eleventyConfig.addGlobalData("site", SITE_DATA);
  eleventyConfig.addFilter("isoDate", (date) => (date instanceof Date ? date.toISOString() : String(date)));
  eleventyConfig.addFilter("day", (date) => (date instanceof Date ? date.toISOString().slice(0, 10) : String(date)));
  eleventyConfig.ignores.add("README.md");
  // MEDIA
  return {
    // the posts' text is no template: "{{" in a post stays as written
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    dir: { input: ".", includes: "_includes" },
  };
};
