/* What the pages share (loaded before quotes.js and compare.js): building elements from text, error
 * messages, the API key kept in the tab, and Ctrl+Enter to send. Article text only ever reaches a page
 * through textContent and text nodes, never as markup. */
"use strict";

window.QuotesPage = (() => {
  const KEY_STORAGE = "quotes.apiKey";
  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function plural(count, one, many) {
    return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
  }

  function showError(title, detail) {
    $("error-title").textContent = title;
    $("error-detail").textContent = detail;
    $("error").hidden = false;
  }

  function hideError() {
    $("error").hidden = true;
    $("error-title").textContent = "";
    $("error-detail").textContent = "";
  }

  /** The API key field: what it holds, and keeping it for the tab once the service took it. */
  const apiKey = {
    value: () => $("api-key-input").value.trim(),
    headers() {
      const key = apiKey.value();
      return key ? { Authorization: `Bearer ${key}` } : {};
    },
    save() {
      try {
        sessionStorage.setItem(KEY_STORAGE, apiKey.value());
      } catch (_error) { /* storage may be off */ }
    },
    restore() {
      try {
        const saved = sessionStorage.getItem(KEY_STORAGE);
        if (saved) {
          $("api-key-input").value = saved;
          $("api-key").open = true;
        }
      } catch (_error) { /* storage may be off */ }
    },
  };

  function onCtrlEnter(input, action) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        action();
      }
    });
  }

  return { el, plural, showError, hideError, apiKey, onCtrlEnter };
})();
