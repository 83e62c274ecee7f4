// The CV page's print button: shown only when script runs, so no dead control is left.
(() => {
  const button = document.querySelector('.cv-print');
  if (!button) return;
  button.hidden = false;
  button.addEventListener('click', () => window.print());
})();
