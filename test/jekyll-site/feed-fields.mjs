// The fields of an Atom feed that feed readers key on, from its XML (shared by the recorder and the test).
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: 'text', isArray: (name) => ['entry', 'link', 'category'].includes(name) });
const text = (value) => (typeof value === 'object' && value !== null ? String(value.text ?? '') : String(value ?? ''));

export function feedFields(xml) {
  const feed = parser.parse(xml).feed;
  const link = (links, rel) => links.find((candidate) => candidate.rel === rel)?.href ?? null;
  return {
    id: text(feed.id),
    title: text(feed.title),
    subtitle: text(feed.subtitle),
    self: link(feed.link, 'self'),
    alternate: link(feed.link, 'alternate'),
    author: text(feed.author?.name),
    authorEmail: text(feed.author?.email),
    entries: (feed.entry ?? []).map((entry) => ({
      id: text(entry.id),
      title: text(entry.title),
      link: link(entry.link, 'alternate'),
      published: text(entry.published),
      updated: text(entry.updated),
      author: text(entry.author?.name),
      authorEmail: text(entry.author?.email),
      authorUri: text(entry.author?.uri),
      categories: (entry.category ?? []).map((category) => category.term),
      summary: text(entry.summary).trim(),
      contentBase: entry.content?.['xml:base'] ?? null,
      image: entry['media:thumbnail']?.url ?? null,
    })),
  };
}
