// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move keyboard focus to an error summary so screen-reader users hear what to fix.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
