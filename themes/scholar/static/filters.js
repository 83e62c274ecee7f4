/* scholarfolio: filter, search and sort the papers of the publications page, in the browser.

   Progressive enhancement. Without this script the page lists every paper and the
   category chips are links to the category pages. The script turns the chips into toggle
   buttons, reveals the search, year, code and sort controls, and keeps their state in the
   address, so a reload or a shared link restores it and back and forward step through it:

     ?cat=CV,LG&year=2018&q=neural+scene&code=1&sort=score

   It reads what the build wrote on each card: data-cat, data-year, data-date, data-score,
   data-code and data-search (the words of title, authors and abstract folded by
   site.search_key, each once: a query's words are looked for within its words).
   At most PAGE matching cards are in the list at once, more at the press of "Show more";
   the others wait outside the document. A change adds and removes only the cards that
   change, so the browser's work per change is bounded by PAGE, not by the number of
   papers (laying out thousands of cards takes seconds).
   After each update the form dispatches `filters:updated` with {matching, listed, total}:
   the papers that match, the cards in the list, all papers.
   The papers may be in several lists, one under each heading (group_by: a year, a kind of
   work): in the server's order (newest) each card stays in its own list and a heading
   whose list is empty is hidden with it; another sort is one list, without headings. */
(function () {
  'use strict';

  // The page's words (a translated site's <script id="ui-messages">: i18n.script_messages),
  // else the English given here; a count picks its form by Intl.PluralRules.
  const WORDS = (() => {
    try { return JSON.parse(document.getElementById('ui-messages').textContent); }
    catch (error) { return {}; }
  })();
  const PLURAL = new Intl.PluralRules(document.documentElement.lang || undefined);
  function words(key, english, values = {}, count = 0) {
    let text = WORDS[key];
    if (text && typeof text === 'object') text = text[PLURAL.select(count)] || text.other;
    return (text || english).replace(/\{(\w+)\}/g, (match, name) => values[name]);
  }

  const form = document.getElementById('paper-filters');
  const lists = Array.from(document.querySelectorAll('.paper-list[data-filterable]'));
  if (!form || !lists.length) return;

  // The folding of site.search_key, in the same order: decompose, lowercase, drop marks,
  // fold the letters that do not decompose, one space between words.
  const FOLDS = {
    'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'ħ': 'h', 'ı': 'i', 'ß': 'ss', 'æ': 'ae',
    'œ': 'oe', 'þ': 'th', 'ς': 'σ',
  };
  const FOLDABLE = new RegExp('[' + Object.keys(FOLDS).join('') + ']', 'g');
  const MARKS = /\p{M}+/gu;
  const searchKey = (text) => text.normalize('NFKD').toLowerCase().replace(MARKS, '')
    .replace(FOLDABLE, (c) => FOLDS[c]).split(/\s+/).filter(Boolean).join(' ');

  const SORTS = ['newest', 'oldest', 'score', 'title'];
  const KEYS = ['cat', 'year', 'q', 'code', 'sort']; // the address's parameters of ours
  const TYPING_PAUSE_MS = 400; // typing: the address and the announcement wait for a pause
  const PAGE = 100; // matching cards shown at once; "Show more" adds as many again

  const items = lists.flatMap((list) => Array.from(list.children)).map((el, index) => {
    const data = el.dataset;
    return {
      el,
      index,
      group: lists.indexOf(el.parentElement),
      cat: data.cat,
      year: data.year,
      date: data.date,
      score: data.score === undefined ? null : Number(data.score),
      code: data.code !== undefined,
      text: data.search || '',
      title: null, // read from the card when the list is first sorted by title
    };
  });
  const total = items.length;

  const search = document.getElementById('filter-q');
  const yearSelect = document.getElementById('filter-year');
  const sortSelect = document.getElementById('filter-sort');
  const codeBox = document.getElementById('filter-code');
  const chipList = form.querySelector('.chips');
  const count = form.querySelector('.filter-count');
  const clear = form.querySelector('.filter-status .filter-reset');
  const noResults = document.getElementById('no-results');
  const more = document.getElementById('more-papers');
  // Numbers in the page's language. The first Intl.NumberFormat loads the locale's number
  // data (15-30 ms in Chromium): it is made when a count is first written, after the list.
  let numberFormat = null;
  const number = (n) => (numberFormat ??= new Intl.NumberFormat(
    document.documentElement.lang || undefined)).format(n);
  const years = new Set(Array.from(yearSelect.options, (option) => option.value));
  // a group's list and what shows it (its section with the heading), hidden when empty
  const boxes = lists.map((list) => list.closest('.paper-group') || list);
  const headings = document.querySelectorAll('.paper-group > .group-heading');

  // The chips become toggle buttons; "All" (no code) clears the selection.
  const chips = Array.from(chipList.querySelectorAll('a.chip'), (link) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = link.className;
    button.dataset.cat = link.dataset.cat;
    button.setAttribute('aria-pressed', 'false');
    button.append(...link.childNodes);
    link.replaceWith(button);
    return button;
  });
  chipList.setAttribute('aria-label', words('filterByCategory', 'Filter by category'));
  const codes = chips.map((chip) => chip.dataset.cat).filter(Boolean);

  // --- State and the address --------------------------------------------------------------

  function fromQuery(query) {
    const params = new URLSearchParams(query);
    const wanted = new Set((params.get('cat') || '').toUpperCase().split(','));
    const year = params.get('year') || '';
    const sort = params.get('sort');
    return {
      cats: codes.filter((code) => wanted.has(code.toUpperCase())),
      year: years.has(year) ? year : '',
      q: params.get('q') || '',
      code: Boolean(codeBox) && ['1', 'true', 'yes'].includes(params.get('code')),
      sort: SORTS.includes(sort) ? sort : 'newest',
    };
  }

  function toQuery(s) {
    const parts = [];
    const others = new URLSearchParams(location.search); // parameters not ours stay, first
    for (const key of KEYS) others.delete(key);
    if (others.size) parts.push(others.toString());
    if (s.cats.length) parts.push('cat=' + s.cats.map(encodeURIComponent).join(','));
    if (s.year) parts.push('year=' + encodeURIComponent(s.year));
    if (s.q.trim()) parts.push('q=' + encodeURIComponent(s.q.trim()).replace(/%20/g, '+'));
    if (s.code) parts.push('code=1');
    if (s.sort !== 'newest') parts.push('sort=' + s.sort);
    return parts.length ? '?' + parts.join('&') : '';
  }

  const filtering = (s) => s.cats.length > 0 || s.year !== '' || s.q.trim() !== '' || s.code;

  function writeAddress(how) {
    const url = location.pathname + toQuery(state) + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      history[how === 'push' ? 'pushState' : 'replaceState'](null, '', url);
    }
  }

  let state = fromQuery(location.search);

  // --- Showing the state --------------------------------------------------------------------

  const orders = { newest: items }; // the server's order
  let limit = PAGE; // cards to list at most; grows with "Show more"
  let matching = total; // papers that match
  let listed = items; // the items in the list, in order

  function ordered(sort) {
    if (!orders[sort]) {
      const copy = items.slice();
      if (sort === 'oldest') {
        copy.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index));
      } else if (sort === 'score') {
        copy.sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.index - b.index);
      } else if (sort === 'title') {
        const lang = document.documentElement.lang || undefined;
        const collator = new Intl.Collator(lang, { numeric: true, sensitivity: 'base' });
        for (const item of copy) {
          item.title ??= item.el.querySelector('.paper-title').textContent.trim();
        }
        copy.sort((a, b) => collator.compare(a.title, b.title) || a.index - b.index);
      }
      orders[sort] = copy;
    }
    return orders[sort];
  }

  function showList() {
    const terms = searchKey(state.q).split(' ').filter(Boolean);
    const cats = state.cats.length ? new Set(state.cats) : null;
    const { year, code } = state;
    const next = [];
    let matches = 0;
    for (const item of ordered(state.sort)) {
      let match = (!cats || cats.has(item.cat)) && (!year || item.year === year)
        && (!code || item.code);
      for (let i = 0; match && i < terms.length; i++) match = item.text.includes(terms[i]);
      if (match && ++matches <= limit) next.push(item);
    }
    place(next, lists.length > 1 && state.sort !== 'newest');
    matching = matches;
    noResults.hidden = matching > 0;
    clear.hidden = !filtering(state);
    more.hidden = matching === listed.length;
  }

  // Make the lists hold exactly `next`, in order, touching only the cards that change:
  // each card in its own list, or all in the first (`flat`: another sort than the
  // server's, so no heading).
  let wasFlat = false;
  function place(next, flat) {
    const keep = flat === wasFlat ? new Set(next) : new Set(); // a new layout: all anew
    for (const item of listed) if (!keep.has(item)) item.el.remove();
    const nodes = lists.map((list) => list.firstElementChild);
    for (const item of next) {
      const group = flat ? 0 : item.group;
      const node = nodes[group];
      if (node === item.el) nodes[group] = node.nextElementSibling;
      else lists[group].insertBefore(item.el, node);
    }
    lists.forEach((list, group) => { boxes[group].hidden = !list.firstElementChild; });
    for (const heading of headings) heading.hidden = flat;
    wasFlat = flat;
    listed = next;
  }

  function showControls() {
    for (const chip of chips) {
      const code = chip.dataset.cat;
      const on = code ? state.cats.includes(code) : state.cats.length === 0;
      chip.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    if (search.value !== state.q) search.value = state.q;
    yearSelect.value = state.year;
    sortSelect.value = state.sort;
    if (codeBox) codeBox.checked = state.code;
  }

  function announce() {
    const values = { matching: number(matching), num: number(total) };
    let text = filtering(state)
      ? words('matching', total === 1 ? '{matching} of {num} paper' : '{matching} of {num} papers',
        values, total)
      : words('all', total === 1 ? '{num} paper' : 'All {num} papers', values, total);
    if (listed.length < matching) {
      text += words('firstShown', ', first {num} shown', { num: number(listed.length) });
    }
    count.textContent = text;
  }

  // The counts in words: the "Show more" button's, and the status's when announced.
  function showCounts(announceNow) {
    const rest = matching - listed.length;
    more.textContent = words('showMore', 'Show {num} more of {rest}',
      { num: number(Math.min(rest, PAGE)), rest: number(rest) }, rest);
    if (announceNow) announce();
    form.dispatchEvent(new CustomEvent('filters:updated', {
      detail: { matching, listed: listed.length, total },
    }));
  }

  function render(announceNow) {
    showList();
    showControls();
    showCounts(announceNow);
  }

  // --- Changes -----------------------------------------------------------------------------

  // Typing updates the list once per frame; the count is announced and the address written
  // after a pause, the first pause of a search as a new history entry, later ones in place.
  let frame = 0;
  let pause = 0;
  let searchEntry = false; // the current history entry is this search's

  function settleTyping() {
    clearTimeout(pause);
    pause = 0;
    announce();
    writeAddress(searchEntry ? 'replace' : 'push');
    searchEntry = true;
  }

  function stopTyping() {
    clearTimeout(pause);
    pause = 0;
    cancelAnimationFrame(frame);
    frame = 0;
    searchEntry = false;
  }

  function change(changes) {
    stopTyping();
    state = { ...state, ...changes };
    limit = PAGE;
    render(true);
    writeAddress('push');
  }

  search.addEventListener('input', () => {
    state = { ...state, q: search.value };
    limit = PAGE;
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        render(false);
      });
    }
    clearTimeout(pause);
    pause = setTimeout(settleTyping, TYPING_PAUSE_MS);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault(); // Enter in the search box: settle now, stay on the page
    if (pause) settleTyping();
  });

  chipList.addEventListener('click', (event) => {
    const chip = event.target.closest('button.chip');
    if (!chip) return;
    const code = chip.dataset.cat;
    let cats = [];
    if (code && state.cats.includes(code)) cats = state.cats.filter((c) => c !== code);
    else if (code) cats = codes.filter((c) => c === code || state.cats.includes(c));
    change({ cats });
  });

  yearSelect.addEventListener('change', () => change({ year: yearSelect.value }));
  sortSelect.addEventListener('change', () => change({ sort: sortSelect.value }));
  codeBox?.addEventListener('change', () => change({ code: codeBox.checked }));

  for (const button of document.querySelectorAll('.filter-reset')) {
    button.addEventListener('click', () => {
      change({ cats: [], year: '', q: '', code: false });
      search.focus(); // the button that had focus is hidden now
    });
  }

  more.addEventListener('click', () => {
    const first = listed.length;
    limit = first + PAGE;
    render(true);
    listed[first].el.querySelector('a').focus(); // the first new card, where reading goes on
  });

  // On a phone the chips scroll sideways: bring the first pressed one into view, unless
  // its start (the check mark and some of the name) shows already.
  function revealChip() {
    const chip = chips.find((c) => c.getAttribute('aria-pressed') === 'true');
    if (!chip || chipList.scrollWidth <= chipList.clientWidth) return;
    const box = chipList.getBoundingClientRect();
    const left = chip.getBoundingClientRect().left;
    if (left < box.left || left > box.right - 64) {
      chipList.scrollLeft += left - box.left - parseFloat(getComputedStyle(chipList).paddingLeft);
    }
  }

  window.addEventListener('popstate', () => {
    const next = fromQuery(location.search);
    if (toQuery(next) === toQuery(state)) return; // only the #fragment changed
    stopTyping();
    state = next;
    limit = PAGE;
    render(true);
    revealChip();
  });

  // --- Start -------------------------------------------------------------------------------

  form.querySelector('.filter-bar').hidden = false;
  form.querySelector('.filter-status').hidden = false;
  showList();
  showControls();
  if (state.cats.length) revealChip(); // else "All" is pressed, first in its row: in view
  writeAddress('replace'); // the address in its usual spelling: ?cat=cv -> ?cat=CV
  // The counts in a task of their own, so that the page can be drawn in between (Lighthouse's
  // blocking time on a phone counts a task's time over 50 ms).
  setTimeout(showCounts, 0, true);
})();
