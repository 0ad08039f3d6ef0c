/* The page at GET /: send an article to POST /v1/quotes and show who said what.
 *
 * An article pasted as HTML (a CMS body) is sent as `html` when the "Read as HTML" switch is
 * on; the switch turns on by itself when the text looks like HTML, until the reader sets it.
 * The article shown is then the text the service read from the HTML.
 *
 * Plain browser JavaScript, no build step. Article text only ever reaches the page
 * through textContent and text nodes, never as markup. Offsets in the API count
 * Unicode code points; JavaScript strings count UTF-16 units, so they are mapped.
 */
"use strict";

(() => {
  const PALETTE_SIZE = 10;          // colour classes c0..c9 in quotes.css
  const QUOTE_PREVIEW = 120;        // characters of a quote shown in the speaker panel
  const INDIRECT_STORAGE = "quotes.includeIndirect";

  const KIND_LABELS = {
    person: "person",
    organization: "organization",
    anonymous: "anonymous source",
    document: "document",
    unknown: "unknown",
  };
  const TYPE_LABELS = {
    direct: "direct: a quoted sentence or clause",
    partial: "partial: a fragment in the writer’s sentence",
    indirect: "indirect: reported speech, without quotation marks",
  };

  const { el, plural, showError, hideError, onCtrlEnter } = window.QuotesPage;
  const $ = (id) => document.getElementById(id);
  const els = {
    input: $("article-input"),
    count: $("article-count"),
    htmlSwitch: $("html-switch"),
    htmlHint: $("html-hint"),
    examples: $("examples"),
    exampleList: $("example-list"),
    keyBox: $("api-key"),
    keyState: $("api-key-state"),
    keyInput: $("api-key-input"),
    includeIndirect: $("include-indirect"),
    extract: $("extract-button"),
    clear: $("clear-button"),
    status: $("status"),
    results: $("results"),
    summary: $("summary"),
    article: $("article-text"),
    speakers: $("speaker-list"),
    curl: $("curl-command"),
    json: $("json-output"),
    tooltip: $("quote-tooltip"),
    tip: {
      speaker: $("tip-speaker"),
      cue: $("tip-cue"),
      type: $("tip-type"),
      confidence: $("tip-confidence"),
      method: $("tip-method"),
    },
  };

  const state = {
    busy: false,
    maxChars: null,
    htmlChosen: false,      // the reader set the HTML switch: stop detecting
    quotes: new Map(),      // quote id -> quote record of the last result
    colours: new Map(),     // speaker id -> colour class
    tipFor: null,           // the highlight the tooltip describes
  };

  // --- small helpers -----------------------------------------------------------------

  /** Length in Unicode code points, as the API counts. */
  function codePoints(text) {
    const pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
    return text.length - (pairs ? pairs.length : 0);
  }

  /** unitAt[i] is the UTF-16 index of code point i (and unitAt[n] the string's length). */
  function codePointToUnit(text) {
    const unitAt = [0];
    let unit = 0;
    for (const ch of text) {
      unit += ch.length;
      unitAt.push(unit);
    }
    return unitAt;
  }

  function truncate(text, limit) {
    const chars = Array.from(text.replace(/\s+/g, " ").trim());
    return chars.length <= limit ? chars.join("") : `${chars.slice(0, limit - 1).join("").trimEnd()}…`;
  }

  function shellQuote(value) {
    return `'${value.replace(/'/g, "'\\''")}'`;
  }

  function colourOf(speakerId) {
    return state.colours.get(speakerId) || "c-none";
  }

  const apiKey = window.QuotesPage.apiKey.value;
  const authHeaders = window.QuotesPage.apiKey.headers;

  // --- input ------------------------------------------------------------------------

  // Block-level tags a CMS body is made of; inline tags alone (<b>, <img>) do not make a text HTML.
  const HTML_BLOCK = /<(p|div|br|h[1-6]|li|ul|ol|article|section|blockquote|figure|body|html|table)\b[^<>]*>/i;

  function looksLikeHtml(text) {
    return HTML_BLOCK.test(text);
  }

  function updateFormat() {
    const detected = looksLikeHtml(els.input.value);
    if (!state.htmlChosen) els.htmlSwitch.checked = detected;
    els.htmlHint.textContent = !els.htmlSwitch.checked ? ""
      : state.htmlChosen ? "The text is read out of the HTML: tags are markup, captions and embeds are left out."
      : "This looks like HTML: the text is read out of it, captions and embeds left out.";
  }

  function updateCount() {
    updateFormat();
    const count = codePoints(els.input.value);
    let text = plural(count, "character", "characters");
    if (state.maxChars) {
      text += ` of at most ${state.maxChars.toLocaleString("en")}`;
      els.count.classList.toggle("counter--over", count > state.maxChars);
    }
    els.count.textContent = text;
  }

  async function loadExamples() {
    let listing;
    try {
      const response = await fetch("examples", { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      listing = await response.json();
    } catch (_error) {
      return;  // the page works without examples
    }
    els.exampleList.replaceChildren();
    listing.examples.forEach((example, index) => {
      const button = el("button", "button button--chip");
      button.type = "button";
      button.dataset.example = example.id;
      button.title = example.title;
      button.append(el("span", "chip__number", String(index + 1)), el("span", "chip__title", example.title));
      button.addEventListener("click", () => loadExample(example, index + 1));
      els.exampleList.append(button);
    });
    els.examples.hidden = listing.examples.length === 0;
  }

  async function loadExample(example, number) {
    setStatus(`Loading example ${number}…`);
    try {
      const response = await fetch(`examples/${encodeURIComponent(example.id)}.txt`);
      if (!response.ok) throw new Error(String(response.status));
      els.input.value = await response.text();
    } catch (_error) {
      setStatus("");
      showError("The example could not be loaded", "Reload the page and try again.");
      return;
    }
    updateCount();
    hideError();
    els.input.scrollTop = 0;
    setStatus(`Example ${number} loaded (${plural(codePoints(els.input.value), "character", "characters")}). Press “Extract quotes”.`);
  }

  /** Ask GET /v1/info whether the service wants a key, and what its limits are. */
  async function probeService() {
    let response;
    try {
      response = await fetch("v1/info", { headers: { Accept: "application/json", ...authHeaders() } });
    } catch (_error) {
      return;
    }
    if (response.status === 401) {
      requireKey();
      return;
    }
    if (!response.ok) return;
    const info = await response.json().catch(() => null);
    if (!info) return;
    if (info.auth && info.auth.required) requireKey();
    if (info.limits && info.limits.max_chars) {
      state.maxChars = info.limits.max_chars;
      updateCount();
    }
  }

  function requireKey() {
    els.keyBox.open = true;
    els.keyBox.classList.add("api-key--required");
    els.keyState.textContent = "(required by this service)";
    els.keyInput.required = true;
  }

  // --- extraction -------------------------------------------------------------------

  async function extract() {
    if (state.busy) return;
    const text = els.input.value;
    const asHtml = els.htmlSwitch.checked;
    const article = asHtml ? { html: text } : { text };
    const body = JSON.stringify(els.includeIndirect.checked ? { ...article, include: ["indirect"] } : article);
    hideError();
    hideTooltip();
    setBusy(true);
    setStatus("Extracting quotes…");
    let response;
    let payload = null;
    try {
      response = await fetch("v1/quotes", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...authHeaders() },
        body,
      });
      payload = await response.json().catch(() => null);
    } catch (_error) {
      setBusy(false);
      setStatus("");
      showError("The service could not be reached",
        "Check that it is running and that this page was loaded from it, then try again.");
      return;
    }
    setBusy(false);
    if (!response.ok || !payload || !Array.isArray(payload.quotes)) {
      setStatus("");
      showProblem(response.status, payload);
      return;
    }
    window.QuotesPage.apiKey.save();
    render(asHtml ? payload.text : text, payload, body);
    setStatus(`Found ${quoteCount(payload.quotes)} from ${plural(payload.speakers.length, "speaker", "speakers")}.`);
  }

  function setBusy(busy) {
    state.busy = busy;
    els.extract.setAttribute("aria-disabled", String(busy));
    els.extract.classList.toggle("button--busy", busy);
    document.body.classList.toggle("is-busy", busy);
  }

  function setStatus(text) {
    els.status.textContent = text;
  }

  // --- errors -----------------------------------------------------------------------

  /** A readable message for an API error (RFC 9457 problem details), never the raw JSON. */
  function showProblem(status, problem) {
    const detail = problem && typeof problem.detail === "string" ? problem.detail : "";
    const fieldErrors = (problem && problem.errors) || {};
    const textErrors = [].concat(fieldErrors.text || [], fieldErrors.html || []).join(" ");
    switch (status) {
      case 413:
        showError("The article is too long",
          `${detail || "The service refused a text this long."} Shorten it or send it in parts.`);
        return;
      case 422:
        if (/empty|whitespace/i.test(textErrors) || !els.input.value.trim()) {
          showError("There is no article to analyse",
            "Paste an article into the box or load an example, then press “Extract quotes”.");
          els.input.focus();
        } else {
          showError("The service could not read this text", detail || "The request was not accepted.");
        }
        return;
      case 401:
        requireKey();
        showError(apiKey() ? "The API key was not accepted" : "This service needs an API key",
          "Enter a valid key in the “API key” field and press “Extract quotes” again.");
        els.keyInput.focus();
        return;
      case 403:
        showError("This API key may not use the service", detail || "Ask the service’s operator for access.");
        return;
      case 429:
        showError("Too many requests right now", detail || "Wait a moment and try again.");
        return;
      case 503:
        showError("The service is not ready", detail || "Its language model is not loaded yet; try again shortly.");
        return;
      default: {
        const title = problem && problem.title ? problem.title : "The request failed";
        showError(`${title} (HTTP ${status})`, detail || "The service answered with an error.");
      }
    }
  }

  // --- results ----------------------------------------------------------------------

  function render(text, result, requestBody) {
    state.quotes = new Map(result.quotes.map((quote) => [quote.id, quote]));
    state.colours = new Map(result.speakers.map((speaker, index) => [speaker.id, `c${index % PALETTE_SIZE}`]));

    renderSummary(result);
    renderArticle(text, result);
    renderSpeakers(result);
    els.curl.textContent = curlCommand(requestBody);
    els.json.textContent = JSON.stringify(result, null, 2);

    els.results.hidden = false;
    els.results.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "start" });
  }

  /** "3 quotes", or "3 quotes and 2 reported statements" when reported speech is in the answer. */
  function quoteCount(quotes) {
    const reported = quotes.filter(isReported).length;
    const direct = plural(quotes.length - reported, "quote", "quotes");
    return reported ? `${direct} and ${plural(reported, "reported statement", "reported statements")}` : direct;
  }

  function isReported(quote) {
    return quote.type === "indirect";
  }

  function renderSummary(result) {
    const meta = result.meta || {};
    const parts = result.quotes.length
      ? [quoteCount(result.quotes), plural(result.speakers.length, "speaker", "speakers")]
      : ["No quotes found in this article"];
    if (typeof meta.characters === "number") parts.push(plural(meta.characters, "character", "characters"));
    if (typeof meta.elapsed_ms === "number") parts.push(`${Math.round(meta.elapsed_ms).toLocaleString("en")} ms`);
    if (meta.model) parts.push(`model ${meta.model}`);
    els.summary.replaceChildren();
    parts.forEach((part, index) => {
      els.summary.append(el("span", index === 0 ? "summary__lead" : "summary__item", part));
    });
  }

  /**
   * The article as text nodes, each quote a focusable <mark> in its speaker's colour and
   * each speaker mention an underlined <span>. Spans may nest or cross; the text is cut
   * at every boundary and each piece styled by what covers it.
   */
  function renderArticle(text, result) {
    const unitAt = codePointToUnit(text);
    const length = unitAt.length - 1;
    const spans = [];
    for (const quote of result.quotes) {
      spans.push({ kind: "quote", start: quote.start, end: quote.end, quote });
    }
    for (const speaker of result.speakers) {
      for (const mention of speaker.mentions) {
        spans.push({ kind: "mention", start: mention.start, end: mention.end, speaker });
      }
    }
    const valid = spans.filter((span) => span.start >= 0 && span.start < span.end && span.end <= length);

    const opening = new Map();
    const closing = new Map();
    const bounds = new Set([0, length]);
    for (const span of valid) {
      bounds.add(span.start);
      bounds.add(span.end);
      (opening.get(span.start) || opening.set(span.start, []).get(span.start)).push(span);
      (closing.get(span.end) || closing.set(span.end, []).get(span.end)).push(span);
    }
    const points = Array.from(bounds).sort((a, b) => a - b);

    const fragment = document.createDocumentFragment();
    const open = new Set();
    const marked = new Set();  // quotes with a mark already: a report resumed after its quotation has no second id
    let mark = null;
    let markQuote = null;
    for (let index = 0; index < points.length - 1; index += 1) {
      const start = points[index];
      const end = points[index + 1];
      for (const span of closing.get(start) || []) open.delete(span);
      for (const span of opening.get(start) || []) open.add(span);
      let quote = null;
      let mention = null;
      for (const span of open) {
        // a quotation inside reported speech shows as the quotation
        if (span.kind === "quote" && (!quote || (isReported(quote) && !isReported(span.quote)))) quote = span.quote;
        if (span.kind === "mention" && !mention) mention = span;
      }
      if (quote !== markQuote) {
        mark = quote ? quoteMark(quote, marked) : null;
        if (mark) fragment.append(mark);
        markQuote = quote;
      }
      const piece = text.slice(unitAt[start], unitAt[end]);
      let node;
      if (mention) {
        node = el("span", `mention ${colourOf(mention.speaker.id)}`, piece);
        node.title = mention.speaker.name;
      } else {
        node = document.createTextNode(piece);
      }
      (mark || fragment).append(node);
    }
    els.article.replaceChildren(fragment);
  }

  function quoteMark(quote, marked) {
    const kind = isReported(quote) ? " quote--indirect" : "";
    const mark = el("mark", `quote${kind} ${quote.speaker ? colourOf(quote.speaker.id) : "c-none"}`);
    if (!marked.has(quote.id)) mark.id = `quote-${quote.id}`;
    marked.add(quote.id);
    mark.tabIndex = 0;
    mark.dataset.quote = quote.id;
    mark.setAttribute("aria-describedby", "quote-tooltip");
    return mark;
  }

  function renderSpeakers(result) {
    const groups = result.speakers.map((speaker) => ({
      className: colourOf(speaker.id),
      name: speaker.name,
      kind: KIND_LABELS[speaker.kind] || speaker.kind,
      quotes: speaker.quote_ids.map((id) => state.quotes.get(id)).filter(Boolean),
      id: speaker.id,
    }));
    const unattributed = result.quotes.filter((quote) => !quote.speaker);
    if (unattributed.length) {
      groups.push({ className: "c-none", name: "Unattributed", kind: "no speaker found", quotes: unattributed, id: "" });
    }

    els.speakers.replaceChildren();
    if (!groups.length) {
      els.speakers.append(el("li", "speaker speaker--empty", "No speakers: the article has no quotes that were found."));
      return;
    }
    for (const group of groups) {
      const item = el("li", `speaker ${group.className}`);
      if (group.id) item.dataset.speaker = group.id;
      const head = el("div", "speaker__head");
      head.append(
        el("span", "swatch"),
        el("span", "speaker__name", group.name),
        el("span", "speaker__kind", group.kind),
        el("span", "speaker__count", quoteCount(group.quotes)),
      );
      item.append(head);
      const list = el("ol", "speaker__quotes");
      for (const quote of group.quotes) {
        const entry = el("li");
        const button = el("button", isReported(quote) ? "quote-link quote-link--indirect" : "quote-link");
        button.type = "button";
        button.dataset.quote = quote.id;
        if (isReported(quote)) {
          button.append(el("span", "quote-link__kind", "reported: "),
            el("span", "quote-link__text", truncate(quote.text, QUOTE_PREVIEW)));
        } else {
          button.append(el("span", "quote-link__text", `“${truncate(quote.text, QUOTE_PREVIEW)}”`));
        }
        button.addEventListener("click", () => goToQuote(quote.id));
        entry.append(button);
        list.append(entry);
      }
      item.append(list);
      els.speakers.append(item);
    }
  }

  function curlCommand(requestBody) {
    const url = new URL("v1/quotes", document.baseURI).href;
    const lines = [`curl -sS ${shellQuote(url)}`, "-H 'Content-Type: application/json'"];
    if (apiKey()) lines.push('-H "Authorization: Bearer $QUOTES_API_KEY"');
    lines.push(`--data-binary ${shellQuote(requestBody)}`);
    return lines.join(" \\\n  ");
  }

  function reducedMotion() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function goToQuote(id) {
    const mark = document.getElementById(`quote-${id}`);
    if (!mark) return;
    mark.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "center" });
    mark.focus({ preventScroll: true });
    mark.classList.remove("quote--flash");
    void mark.offsetWidth;  // restart the animation
    mark.classList.add("quote--flash");
  }

  // --- the quote tooltip --------------------------------------------------------------

  function showTooltip(mark, pointer) {
    const quote = state.quotes.get(mark.dataset.quote);
    if (!quote) return;
    const tip = els.tip;
    if (quote.speaker) {
      tip.speaker.textContent = quote.speaker.name;
      const mention = quote.speaker.mention ? quote.speaker.mention.text : "";
      if (mention && !mention.toLowerCase().includes(quote.speaker.name.toLowerCase())) {
        tip.speaker.append(el("span", "tooltip__aside", ` (as “${truncate(mention, 40)}”)`));
      }
    } else {
      tip.speaker.textContent = "not found";
    }
    tip.cue.textContent = quote.cue ? `“${truncate(quote.cue.text, 60)}”` : "none";
    tip.type.textContent = TYPE_LABELS[quote.type] || quote.type;
    tip.confidence.textContent = `${Math.round(quote.confidence * 100)}%`;
    tip.method.textContent = quote.method || "none";
    els.tooltip.className = `tooltip ${quote.speaker ? colourOf(quote.speaker.id) : "c-none"}`;
    els.tooltip.hidden = false;
    state.tipFor = mark;
    placeTooltip(mark, pointer);
  }

  /** Below the line of the quote nearest the pointer (or its first line), kept on screen. */
  function placeTooltip(mark, pointer) {
    const lines = Array.from(mark.getClientRects());
    if (!lines.length) return;
    let line = lines[0];
    if (pointer) {
      line = lines.reduce((best, rect) => (Math.abs(rect.top + rect.height / 2 - pointer.y)
        < Math.abs(best.top + best.height / 2 - pointer.y) ? rect : best), lines[0]);
    }
    const tip = els.tooltip;
    const margin = 8;
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const viewport = document.documentElement.clientWidth;
    let left = pointer ? pointer.x - width / 2 : line.left;
    left = Math.max(margin, Math.min(left, viewport - width - margin));
    let top = line.bottom + margin;
    if (top + height > window.innerHeight && line.top - height - margin > 0) {
      top = line.top - height - margin;
    }
    tip.style.left = `${Math.round(left + window.scrollX)}px`;
    tip.style.top = `${Math.round(top + window.scrollY)}px`;
  }

  function hideTooltip() {
    els.tooltip.hidden = true;
    state.tipFor = null;
  }

  // --- copy buttons -----------------------------------------------------------------

  async function copy(button) {
    const source = document.getElementById(button.dataset.copy);
    const text = source ? source.textContent : "";
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (_error) {
      copied = copyBySelection(text);
    }
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = copied ? "Copied" : "Press Ctrl+C";
    if (!copied && source) selectContents(source);
    window.setTimeout(() => { button.textContent = label; }, 2000);
  }

  /** For pages served over plain HTTP, where the asynchronous clipboard is not offered. */
  function copyBySelection(text) {
    const area = el("textarea", "visually-hidden");
    area.value = text;
    area.setAttribute("readonly", "");
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (_error) {
      copied = false;
    }
    area.remove();
    return copied;
  }

  function selectContents(node) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // --- wiring -----------------------------------------------------------------------

  function init() {
    els.input.addEventListener("input", updateCount);
    els.htmlSwitch.addEventListener("change", () => {
      state.htmlChosen = true;
      updateFormat();
    });
    onCtrlEnter(els.input, extract);
    els.extract.addEventListener("click", extract);
    els.clear.addEventListener("click", () => {
      els.input.value = "";
      state.htmlChosen = false;
      updateCount();
      hideError();
      hideTooltip();
      els.results.hidden = true;
      setStatus("");
      els.input.focus();
    });
    for (const button of document.querySelectorAll("[data-copy]")) {
      button.addEventListener("click", () => copy(button));
    }

    els.article.addEventListener("mouseover", (event) => {
      const mark = event.target.closest("mark.quote");
      if (mark && mark !== state.tipFor) showTooltip(mark, { x: event.clientX, y: event.clientY });
    });
    els.article.addEventListener("mouseout", (event) => {
      const mark = event.target.closest("mark.quote");
      if (!mark || mark.contains(event.relatedTarget)) return;
      if (document.activeElement === mark) {
        placeTooltip(mark, null);
      } else {
        hideTooltip();
      }
    });
    els.article.addEventListener("focusin", (event) => {
      const mark = event.target.closest("mark.quote");
      if (mark) showTooltip(mark, null);
    });
    els.article.addEventListener("focusout", (event) => {
      if (event.target.closest("mark.quote") === state.tipFor) hideTooltip();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !els.tooltip.hidden) hideTooltip();
    });
    window.addEventListener("resize", () => {
      if (state.tipFor) placeTooltip(state.tipFor, null);
    });

    window.QuotesPage.apiKey.restore();
    els.includeIndirect.addEventListener("change", () => {
      try {
        sessionStorage.setItem(INDIRECT_STORAGE, els.includeIndirect.checked ? "1" : "");
      } catch (_error) { /* storage may be off */ }
    });
    try {
      els.includeIndirect.checked = sessionStorage.getItem(INDIRECT_STORAGE) === "1";
    } catch (_error) { /* storage may be off */ }

    updateCount();
    loadExamples();
    probeService();
  }

  init();
})();
