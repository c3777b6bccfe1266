// Page behaviour without inline handlers, which the Content-Security-Policy forbids:
// a control marked data-submit-on-change submits its form; a link marked data-print prints.
document.addEventListener("change", (event) => {
  const control = event.target;
  if (control instanceof Element && control.matches("[data-submit-on-change]") && control.form) {
    control.form.submit();
  }
});
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
