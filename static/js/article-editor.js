// The article admin's rich-text box: tiptap's editable area has no accessible name of its own, so it
// takes the label of the field it edits (screen readers announce "Body, edit text").
document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail;
  const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`);
  if (label) {
    editor.view.dom.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
  }
});
