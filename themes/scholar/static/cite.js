/* scholarfolio: the "Copy BibTeX" button of a paper page.

   Progressive enhancement. Without this script the BibTeX entry is plain text on the
   page, ready to select, and the button stays hidden. The script shows each
   button[data-copy] and, on a press, copies the text of the element whose id it names
   and says so in the element named by data-status (a live region). Where the clipboard
   cannot be written, it selects the text instead, for Ctrl+C or Cmd+C.

   A card's Cite link (a[data-copy-url]) downloads the paper's citation.bib; with this
   script a press copies that file's text instead, and says so; where the clipboard
   cannot be written, the link downloads the file as it would without the script. */
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

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.status || '');
    if (!source) continue;
    const say = (text) => { if (status) status.textContent = text; };
    button.hidden = false;
    button.addEventListener('click', () => {
      const text = source.textContent;
      const copied = navigator.clipboard && window.isSecureContext
        ? navigator.clipboard.writeText(text)
        : Promise.reject(new Error('no clipboard'));
      copied.then(
        () => say(words('copied', 'Copied to the clipboard.')),
        () => { selectText(source); say(words('selected', 'Selected: press Ctrl+C or ⌘C to copy.')); },
      );
    });
  }

  if (!(navigator.clipboard && window.isSecureContext)) return;  // the links download
  for (const link of document.querySelectorAll('a[data-copy-url]')) {
    const status = document.getElementById(link.dataset.status || '');
    link.addEventListener('click', (event) => {
      event.preventDefault();
      fetch(link.href)
        .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
        .then((text) => navigator.clipboard.writeText(text))
        .then(
          () => { if (status) status.textContent = words('bibtexCopied', 'BibTeX copied to the clipboard.'); },
          () => { window.location.href = link.href; },
        );
    });
  }
})();
