// Report pages: the print button (no inline handlers: the CSP forbids them).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-report-print]");
  if (button) {
    window.print();
  }
});
