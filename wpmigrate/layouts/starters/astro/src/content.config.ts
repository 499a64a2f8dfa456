// Content collections written by wpmigrate: one per post type, one schema for all.
import { defineCollection, z } from "astro:content";
import { glob } from "astro/loaders";

const schema = z
  .object({
    title: z.string(),
    pubDate: z.coerce.date().optional(),
    updatedDate: z.coerce.date().optional(),
    description: z.string().optional(),
    heroImage: z.string().optional(),
    tags: z.array(z.string()).default([]),
    draft: z.boolean().default(false),
    // the old URL path; the catch-all page in src/pages/ builds the entry there
    permalink: z.string().optional(),
    // what an SEO plugin stored: the page's <title>, its canonical URL, kept out of search engines
    seo_title: z.string().optional(),
    canonical: z.string().optional(),
    noindex: z.boolean().default(false),
  })
  .passthrough();

export const collections = {
COLLECTIONS
};
