/* A form with data-confirm asks before it is sent (the inline onsubmit it replaces is refused by the pages'
 * Content-Security-Policy, script-src 'self'). Without JavaScript the form is sent as it is. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
