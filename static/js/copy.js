// "Copy" buttons: <button data-copy="ID" data-copied="Copied" hidden> copies the text of #ID. The button stays hidden
// where the clipboard is not available (no JavaScript, an insecure page): the text can still be selected by hand.
(() => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      const status = document.getElementById(button.dataset.copyStatus);
      await navigator.clipboard.writeText(source.textContent.trim());
      if (status) status.textContent = button.dataset.copied;
    });
  }
})();
