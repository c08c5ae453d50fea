// The letter page's "Copy the letter's text" button: shown only where the browser can copy.
// Without it, the plain-text link beside it does the same job.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-letter]");
  if (!button || !navigator.clipboard) return;
  var source = document.getElementById(button.getAttribute("data-copy-letter"));
  var status = button.parentNode.querySelector(".copy-letter__status");
  if (!source) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(JSON.parse(source.textContent)).then(
      function () {
        status.textContent = button.getAttribute("data-copied");
      },
      function () {
        status.textContent = button.getAttribute("data-copy-failed");
      }
    );
  });
})();
