/**
 * GitHub's task lists, as kramdown's GFM parser writes them under Jekyll (a markdown-it plugin):
 * a list item whose text starts with `[ ] ` or `[x] ` gets a disabled checkbox instead, and the
 * classes themes style (`ul.task-list`, `li.task-list-item`, `input.task-list-item-checkbox`):
 *
 *   <ul class="task-list">
 *   <li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />done</li>
 */
import type MarkdownIt from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';

const TASK = /^\[([ xX])\] /;
const MAYBE_TASKS = /\[[ xX]\] /;

export function taskLists(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'task_lists', (state: StateCore) => {
    // Most documents have no task: they skip the walk over their tokens.
    if (!MAYBE_TASKS.test(state.src)) return;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.type !== 'list_item_open') continue;
      // The item's text: the inline token of its first paragraph, right after it opens.
      const inline = tokens[i + 2];
      if (tokens[i + 1]?.type !== 'paragraph_open' || inline?.type !== 'inline') continue;
      const first = inline.children?.[0];
      const match = first?.type === 'text' ? TASK.exec(first.content) : null;
      if (!first || !match) continue;
      first.content = first.content.slice(match[0].length);
      const checkbox = new state.Token('html_inline', '', 0);
      checkbox.content = `<input type="checkbox" class="task-list-item-checkbox" disabled="disabled"${match[1] === ' ' ? '' : ' checked="checked"'} />`;
      inline.children!.unshift(checkbox);
      tokens[i]!.attrJoin('class', 'task-list-item');
      const list = openingOfList(tokens, i);
      if (list && !list.attrGet('class')?.split(' ').includes('task-list')) list.attrJoin('class', 'task-list');
    }
  });
}

/** The `bullet_list_open` or `ordered_list_open` token of the list the item at `item` is in. */
function openingOfList(tokens: readonly Token[], item: number): Token | undefined {
  const level = tokens[item]!.level - 1;
  for (let i = item - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.level === level && (token.type === 'bullet_list_open' || token.type === 'ordered_list_open')) return token;
  }
  return undefined;
}
