// @ts-check
// A virtualized <table>: only the rows in view exist in the DOM (one <tr> per visible lead),
// so 100k scored leads scroll smoothly. The table is sticky inside a scroller whose height is
// set by a sizer, and the slice of rows shown follows scrollTop. `onRange(rows)` tells the owner
// which rows are on screen, so it can fetch (and explain) only those.

import { h } from './dom.js';


export class VirtualTable {
  /**
   * `columns`: [{ key, label, width, numeric?, render?(value,row) → Node|string }];
   * `getValue(rowIndex, key)` reads a cell; `onOpen(rowIndex)` opens a lead.
   */
  constructor({ columns, getValue, onOpen, label }) {
    this.columns = columns;
    this.getValue = getValue;
    this.onOpen = onOpen;
    this.view = [];
    this.rowH = 32;
    this.start = 0;
    this.selected = -1;
    this.sort = { key: null, dir: 'desc' };
    this.onSort = null;
    /** @type {null | ((rows: number[]) => void)} */
    this.onRange = null;
    this.scroller = h('div', { class: 'lf-vscroll', tabindex: '-1' });
    this.table = h('table', { 'data-testid': 'scored-table', id: 'scored-table', 'aria-label': label || 'Scored leads', 'aria-rowcount': 1 });
    const colgroup = h('colgroup', {}, columns.map((c) => h('col', { style: null, 'data-key': c.key })));
    columns.forEach((c, i) => { colgroup.children[i].style.width = `${c.width || 140}px`; });
    this.headRow = h('tr', { 'aria-rowindex': 1 });
    this.thead = h('thead', {}, this.headRow);
    this.tbody = h('tbody');
    this.table.append(colgroup, this.thead, this.tbody);
    this.table.style.width = `${columns.reduce((a, c) => a + (c.width || 140), 0)}px`;
    this.sizer = h('div', { class: 'lf-vsizer', 'aria-hidden': 'true' });
    this.scroller.append(this.table, this.sizer);
    for (const c of columns) {
      const th = h('th', { scope: 'col', 'aria-sort': 'none', class: c.numeric ? 'lf-num' : null },
        h('button', { type: 'button', on: { click: () => this.toggleSort(c.key) } }, c.label));
      th.dataset.key = c.key;
      this.headRow.append(th);
    }
    this.scroller.addEventListener('scroll', () => this.render(), { passive: true });
    this.tbody.addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (tr) this.open(Number(tr.dataset.row), Number(tr.dataset.pos));
    });
    this.tbody.addEventListener('keydown', (e) => this.onKey(e));
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.render()).observe(this.scroller);
  }

  /** Visible rows (indices into the data) in display order. */
  setView(view) {
    this.view = view;
    this.table.setAttribute('aria-rowcount', String(view.length + 1));
    this.render(true);
  }

  toggleSort(key) {
    this.sort = { key, dir: this.sort.key === key && this.sort.dir === 'desc' ? 'asc' : 'desc' };
    for (const th of this.headRow.children) {
      th.setAttribute('aria-sort', th.dataset.key === key ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    }
    this.onSort?.(this.sort);
  }

  visibleCount() {
    const height = this.scroller.clientHeight || 460;
    return Math.max(1, Math.ceil((height - this.rowH) / this.rowH));
  }

  render(force = false) {
    const count = this.visibleCount();
    const maxStart = Math.max(0, this.view.length - count);
    const start = Math.min(maxStart, Math.floor(this.scroller.scrollTop / this.rowH));
    const end = Math.min(this.view.length, start + count);
    if (!force && start === this.start && this.tbody.children.length === end - start) return;
    this.start = start;
    const focusedPos = document.activeElement?.parentElement === this.tbody ? Number(/** @type {HTMLElement} */ (document.activeElement).dataset.pos) : -1;
    const rows = [];
    for (let pos = start; pos < end; pos++) {
      const r = this.view[pos];
      const tr = h('tr', { tabindex: '-1', 'aria-rowindex': pos + 2, class: r === this.selected ? 'is-selected' : null, 'aria-selected': String(r === this.selected) });
      tr.dataset.row = r;
      tr.dataset.pos = pos;
      for (const c of this.columns) {
        const v = this.getValue(r, c.key);
        const td = h('td', { class: c.numeric ? 'lf-num' : null });
        const content = c.render ? c.render(v, r) : v;
        if (content instanceof Node) td.append(content); else td.textContent = content === null || content === undefined ? '' : String(content);
        if (!(content instanceof Node)) td.title = td.textContent;
        tr.append(td);
      }
      rows.push(tr);
    }
    this.tbody.replaceChildren(...rows);
    this.onRange?.(Array.from(this.view.slice(start, end)));
    const measured = this.headRow.offsetHeight;
    if (measured > 0 && Math.abs(measured - this.rowH) > 0.5) { this.rowH = measured; }
    // the sizer makes the scroll height that of all rows; the sticky table shows the slice
    this.sizer.style.height = `${(this.view.length - rows.length) * this.rowH}px`;
    // one row is in the tab order: the focused one, else the first shown
    const tabbable = rows.find((tr) => Number(tr.dataset.pos) === focusedPos) || rows[0];
    if (tabbable) tabbable.tabIndex = 0;
    if (focusedPos >= start && focusedPos < end) tabbable.focus({ preventScroll: true });
  }

  open(row, pos) {
    this.selected = row;
    for (const tr of this.tbody.children) {
      const on = Number(tr.dataset.row) === row;
      tr.classList.toggle('is-selected', on);
      tr.setAttribute('aria-selected', String(on));
    }
    this.onOpen?.(row, pos);
  }

  /** Scrolls so that display position `pos` is in view, and focuses it. */
  focusPos(pos) {
    if (!this.view.length) return;
    pos = Math.max(0, Math.min(this.view.length - 1, pos));
    const count = this.visibleCount();
    if (pos < this.start) this.scroller.scrollTop = pos * this.rowH;
    else if (pos >= this.start + count) this.scroller.scrollTop = (pos - count + 1) * this.rowH;
    this.render(true);
    const tr = [...this.tbody.children].find((t) => Number(t.dataset.pos) === pos);
    if (tr) { for (const t of this.tbody.children) t.tabIndex = -1; tr.tabIndex = 0; tr.focus({ preventScroll: true }); }
  }

  onKey(e) {
    const tr = e.target.closest('tr');
    if (!tr) return;
    const pos = Number(tr.dataset.pos);
    const page = this.visibleCount();
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) { e.preventDefault(); this.focusPos(pos + moves[e.key]); }
    else if (e.key === 'Home') { e.preventDefault(); this.focusPos(0); }
    else if (e.key === 'End') { e.preventDefault(); this.focusPos(this.view.length - 1); }
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.open(Number(tr.dataset.row), pos); }
  }
}
