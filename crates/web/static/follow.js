// Follows a running job: reloads the page while its status says it is still running. The page
// works without this (it has a refresh link); with it, the progress bar moves by itself.
(function () {
  var el = document.querySelector('[data-follow]');
  if (!el) return;
  var ms = parseInt(el.getAttribute('data-follow'), 10) || 2000;
  setTimeout(function () { window.location.reload(); }, ms);
})();
