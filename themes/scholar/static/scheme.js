/* scholarfolio: the colour scheme button in the header.

   Progressive enhancement. Without this script the page follows the system's scheme
   (prefers-color-scheme) and the button stays hidden. The script shows it; each press
   moves on from "as the system" to light, to dark, and back. The choice is kept in
   localStorage, and a line in each page's <head> sets it on <html> (data-scheme)
   before anything is drawn, so no page flashes in the other scheme. */
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

  const KEY = 'scholarfolio-scheme';
  const ORDER = ['system', 'light', 'dark'];
  const LABELS = { system: 'as the system', light: 'light', dark: 'dark' };
  const button = document.getElementById('scheme-toggle');
  if (!button) return;

  function stored() {
    try {
      const value = localStorage.getItem(KEY);
      return value === 'light' || value === 'dark' ? value : 'system';
    } catch (error) {
      return 'system';
    }
  }

  function show(choice) {
    const root = document.documentElement;
    if (choice === 'system') delete root.dataset.scheme;
    else root.dataset.scheme = choice;
    button.dataset.choice = choice;
    const label = words('scheme.' + choice, 'Colour scheme: ' + LABELS[choice]);
    button.setAttribute('aria-label', label);
    button.title = label;
  }

  show(stored());
  button.hidden = false;
  button.addEventListener('click', () => {
    const next = ORDER[(ORDER.indexOf(button.dataset.choice) + 1) % ORDER.length];
    try {
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
    } catch (error) { /* private mode: the choice lasts for this page */ }
    show(next);
  });
})();
