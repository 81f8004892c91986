import { describe, expect, it } from 'vitest';
import { createMarkdown } from '../../src/markup/markdown.js';

const md = createMarkdown();

describe('task lists', () => {
  it('writes the checkboxes and classes kramdown writes under Jekyll 4.3.1', () => {
    expect(md.render('- [ ] task\n- [x] done\n')).toBe(
      '<ul class="task-list">\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />task</li>\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />done</li>\n' +
        '</ul>\n',
    );
  });

  it('marks only the items that are tasks, in nested and ordered lists too', () => {
    const html = md.render('1. plain\n2. [X] *done* well\n   - [ ] inner\n   - [x]no space\n');
    expect(html).toContain('<ol class="task-list">');
    expect(html).toContain('<li>plain</li>');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" /><em>done</em> well');
    expect(html).toContain('<ul class="task-list">\n<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />inner</li>\n<li>[x]no space</li>');
  });

  it('leaves brackets elsewhere alone', () => {
    expect(md.render('[ ] not in a list\n')).toBe('<p>[ ] not in a list</p>\n');
    expect(md.render('- a [ ] b\n')).toBe('<ul>\n<li>a [ ] b</li>\n</ul>\n');
  });
});
