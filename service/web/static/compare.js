/* The page at GET /compare: send two versions of a story to POST /v1/compare and show what became of
 * each quote of the reference: kept, reworded (deleted words struck through, inserted words
 * highlighted), cut to a fragment, paraphrased, given to someone else, or dropped; and the quotes only
 * the other version has.
 *
 * Plain browser JavaScript, no build step. Article text only ever reaches the page through
 * textContent, never as markup.
 */
"use strict";

(() => {
  const EXAMPLE = { reference: "001_81a850ca81dad687", other: "000_efcebe05e6753dc0" };
  const STATUS_LABELS = {
    verbatim: "Verbatim",
    reworded: "Reworded",
    fragment: "Fragment",
    paraphrased: "Paraphrased",
    missing: "Dropped",
  };
  const STATUS_HINTS = {
    verbatim: "the same words",
    reworded: "words changed inside the quotation marks",
    fragment: "one is a part of the other",
    paraphrased: "reported as reported speech",
    missing: "the other version does not quote it",
  };

  const { el, plural, showError, hideError, apiKey, onCtrlEnter } = window.QuotesPage;
  const $ = (id) => document.getElementById(id);
  const els = {
    reference: $("reference-input"),
    other: $("other-input"),
    example: $("compare-example"),
    compare: $("compare-button"),
    includeIndirect: $("include-indirect"),
    keyBox: $("api-key"),
    keyState: $("api-key-state"),
    status: $("status"),
    results: $("results"),
    summary: $("summary"),
    pairs: $("pairs"),
    added: $("added"),
  };
  let busy = false;

  function setStatus(text) {
    els.status.textContent = text;
  }

  function requireKey() {
    els.keyBox.open = true;
    els.keyState.textContent = "(required by this service)";
  }

  // --- input --------------------------------------------------------------------------

  async function loadExample() {
    setStatus("Loading the example…");
    try {
      const texts = await Promise.all([EXAMPLE.reference, EXAMPLE.other].map(async (id) => {
        const response = await fetch(`examples/${id}.txt`);
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      }));
      [els.reference.value, els.other.value] = texts;
    } catch (_error) {
      setStatus("");
      showError("The example could not be loaded", "Reload the page and try again.");
      return;
    }
    hideError();
    setStatus("Example loaded. Press “Compare”.");
  }

  // --- the comparison -----------------------------------------------------------------

  async function compare() {
    if (busy) return;
    if (!els.reference.value.trim() || !els.other.value.trim()) {
      showError("Two versions are needed", "Paste the reference and the other version, then press “Compare”.");
      (els.reference.value.trim() ? els.other : els.reference).focus();
      return;
    }
    const articles = [{ id: "reference", text: els.reference.value }, { id: "other", text: els.other.value }];
    const body = els.includeIndirect.checked ? { articles, include: ["indirect"] } : { articles };
    hideError();
    busy = true;
    els.compare.setAttribute("aria-disabled", "true");
    setStatus("Comparing…");
    let response;
    let payload = null;
    try {
      const headers = { "Content-Type": "application/json", Accept: "application/json", ...apiKey.headers() };
      response = await fetch("v1/compare", { method: "POST", headers, body: JSON.stringify(body) });
      payload = await response.json().catch(() => null);
    } catch (_error) {
      payload = null;
    } finally {
      busy = false;
      els.compare.setAttribute("aria-disabled", "false");
    }
    if (!response) {
      setStatus("");
      showError("The service could not be reached", "Check that it is running, then try again.");
      return;
    }
    if (!response.ok || !payload || !Array.isArray(payload.alignments)) {
      setStatus("");
      showProblem(response.status, payload);
      return;
    }
    apiKey.save();
    render(payload);
  }

  function showProblem(status, problem) {
    const detail = problem && typeof problem.detail === "string" ? problem.detail : "";
    if (status === 401) {
      requireKey();
      showError("This service needs an API key", "Enter a valid key in the “API key” field and press “Compare” again.");
    } else if (status === 413) {
      showError("A version is too long", `${detail} Shorten it and try again.`);
    } else if (status === 503) {
      showError("The service is not ready", detail || "Its language model is not loaded yet; try again shortly.");
    } else {
      showError(`The comparison failed (HTTP ${status})`, detail || "The service answered with an error.");
    }
  }

  // --- results ------------------------------------------------------------------------

  function render(body) {
    const quotes = new Map();
    for (const answer of body.articles) {
      for (const quote of answer.quotes) quotes.set(`${answer.id}/${quote.id}`, quote);
    }
    const counts = {};
    let misattributed = 0;
    els.pairs.replaceChildren();
    for (const alignment of body.alignments) {
      const quote = quotes.get(`${alignment.quote.article}/${alignment.quote.id}`);
      const counterpart = alignment.counterparts[0];
      const theirs = counterpart.id ? quotes.get(`${counterpart.article}/${counterpart.id}`) : null;
      counts[counterpart.status] = (counts[counterpart.status] || 0) + 1;
      if (counterpart.speakers_agree === false) misattributed += 1;
      els.pairs.append(pairItem(quote, counterpart, theirs));
    }
    if (!body.alignments.length) els.pairs.append(el("li", "pair pair--empty", "The reference has no quotes."));

    els.added.replaceChildren();
    for (const ref of body.unmatched) {
      const quote = quotes.get(`${ref.article}/${ref.id}`);
      const item = el("li", "added__item");
      item.dataset.quote = ref.id;
      item.append(el("q", "added__text", quote.text), el("span", "pair__speaker", speakerOf(quote)));
      els.added.append(item);
    }
    if (!body.unmatched.length) els.added.append(el("li", "added__item added__item--empty", "None."));

    const parts = Object.keys(STATUS_LABELS).filter((status) => counts[status])
      .map((status) => `${counts[status]} ${STATUS_LABELS[status].toLowerCase()}`);
    els.summary.textContent = `${plural(body.alignments.length, "quote", "quotes")} in the reference`
      + (parts.length ? `: ${parts.join(", ")}` : "")
      + `; ${plural(misattributed, "misattribution", "misattributions")}`
      + `; ${plural(body.unmatched.length, "quote", "quotes")} only in the other version.`;
    setStatus("Compared.");
    els.results.hidden = false;
    els.results.scrollIntoView({ block: "start" });
  }

  function speakerOf(quote) {
    return quote.speaker ? quote.speaker.name : "no speaker found";
  }

  function pairItem(quote, counterpart, theirs) {
    const item = el("li", `pair pair--${counterpart.status}`);
    item.dataset.quote = quote.id;
    item.dataset.status = counterpart.status;
    const head = el("div", "pair__head");
    const badge = el("span", `badge badge--${counterpart.status}`, STATUS_LABELS[counterpart.status]);
    badge.title = STATUS_HINTS[counterpart.status];
    head.append(badge);
    if (counterpart.status !== "missing" && counterpart.status !== "verbatim") {
      head.append(el("span", "pair__similarity", `${Math.round(counterpart.similarity * 100)}% of the words in common`));
    }
    if (counterpart.speakers_agree === false) {
      const flag = el("span", "flag flag--misattributed", "Misattributed");
      flag.title = "the other version gives this quote to someone else";
      head.append(flag);
    }
    item.append(head);

    const ours = el("div", "pair__side pair__side--reference");
    ours.append(el("span", "pair__label", "Reference"), el("q", "pair__text", quote.text),
      el("span", "pair__speaker", speakerOf(quote)));
    item.append(ours);
    if (theirs) {
      const other = el("div", "pair__side pair__side--other");
      const reported = theirs.type === "indirect";
      other.append(el("span", "pair__label", reported ? "Other version, as reported speech" : "Other version"),
        diffText(counterpart.diff, reported ? "span" : "q"),
        el("span", `pair__speaker${counterpart.speakers_agree === false ? " pair__speaker--wrong" : ""}`, speakerOf(theirs)));
      item.append(other);
    }
    return item;
  }

  /** The other version's words, with the reference's deleted words struck through and its own inserted
   * words highlighted; in quotation marks (a <q>) unless the other version reports them. */
  function diffText(diff, tag) {
    const text = el(tag, "pair__text pair__diff");
    diff.forEach((piece, index) => {
      if (index) text.append(" ");
      if (piece.op === "equal") {
        text.append(piece.other);
        return;
      }
      if (piece.reference) text.append(el("del", "diff-del", piece.reference));
      if (piece.reference && piece.other) text.append(" ");
      if (piece.other) text.append(el("ins", "diff-ins", piece.other));
    });
    return text;
  }

  // --- wiring -------------------------------------------------------------------------

  function init() {
    els.example.addEventListener("click", loadExample);
    els.compare.addEventListener("click", compare);
    onCtrlEnter(els.reference, compare);
    onCtrlEnter(els.other, compare);
    apiKey.restore();
  }

  init();
})();
