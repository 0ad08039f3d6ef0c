"""marshmallow schemas: every request and response shape, and the source of openapi.yaml's components."""
from __future__ import annotations

import dataclasses
import functools
from typing import get_args

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, validate, validates, validates_schema

from ..engine.article import INCLUDABLE
from ..engine.compare import DiffOp, Status
from ..engine.result import QuoteType, SpeakerKind

HTML_OFFSET = ("for an article sent as `html`: where this stretch lies in the HTML as sent, in Unicode code "
               "points; the HTML between `html_start` and `html_end`, tags removed, entities decoded and "
               "whitespace collapsed, reads `text`")


class HtmlOffsetsSchema(Schema):
    """``html_start`` and ``html_end``, present only for an article sent as HTML."""

    html_start = fields.Integer(validate=validate.Range(min=0), metadata={"description": HTML_OFFSET})
    html_end = fields.Integer(validate=validate.Range(min=0), metadata={"description": HTML_OFFSET})

    @post_dump
    def _html_offsets_last_or_absent(self, data: dict, **_kwargs) -> dict:
        html_start, html_end = data.pop("html_start", None), data.pop("html_end", None)
        if html_start is not None:
            data["html_start"], data["html_end"] = html_start, html_end
        return data


class SpanSchema(HtmlOffsetsSchema):
    class Meta:
        description = ("A stretch of the article. Offsets count Unicode code points from the start of "
                       "the article, end exclusive: `article[start:end] == text`. For an article sent "
                       "as HTML, the article is the response's `text`, and `html_start`, `html_end` "
                       "place the stretch in the HTML.")

    text = fields.String(required=True, metadata={"description": "article[start:end]"})
    start = fields.Integer(required=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, validate=validate.Range(min=0))


class QuoteSpeakerSchema(Schema):
    id = fields.String(required=True, metadata={"description": "id of the entry in `speakers`"})
    name = fields.String(required=True, metadata={"description": "canonical name of the speaker"})
    mention = fields.Nested(SpanSchema, required=True,
                            metadata={"description": "the mention this attribution rests on"})


INCLUDE_DESCRIPTION = ("record kinds to add to the direct quotes: `indirect` adds reported speech (\"Trump said "
                       "he would not send troops\"), records of `type: indirect`")


COMPARE_INCLUDE_DESCRIPTION = (
    "With `indirect`, the `articles` carry reported speech as `POST /v1/quotes` answers it, and a quote of "
    "the reference that another version gives as reported speech is `paraphrased` there. Only the "
    "reference's quotations are aligned, never its reported speech; the other versions' reported speech "
    "is a counterpart or nothing, never `unmatched`")


def include_field() -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(INCLUDABLE)), load_default=list,
                       metadata={"description": INCLUDE_DESCRIPTION})


class QuoteSchema(HtmlOffsetsSchema):
    id = fields.String(required=True)
    text = fields.String(required=True, metadata={
        "description": "the quoted words, marks excluded; for `indirect`, the reported content without "
                       "its cue and speaker (a leading \"that\" kept, quoted words inside it included)"})
    start = fields.Integer(required=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, validate=validate.Range(min=0))
    type = fields.String(required=True, validate=validate.OneOf(get_args(QuoteType)), metadata={
        "description": "`direct` a quoted sentence or clause, `partial` a quoted fragment in the writer's "
                       "sentence, `indirect` reported speech (only when the request includes it)"})
    speaker = fields.Nested(QuoteSpeakerSchema, required=True, allow_none=True)
    cue = fields.Nested(SpanSchema, required=True, allow_none=True)
    paragraph = fields.Integer(required=True, validate=validate.Range(min=0))
    group = fields.Integer(required=True, validate=validate.Range(min=0),
                           metadata={"description": "quotes that are parts of one quotation share it"})
    confidence = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    method = fields.String(required=True, allow_none=True,
                           metadata={"description": "the rule (sieve) that attributed the quote"})


class SpeakerSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True,
                         validate=validate.OneOf(get_args(SpeakerKind)),
                         metadata={"description": "document: a text that speaks with no issuer named "
                                                  "(\"the report said\")"})
    mentions = fields.List(fields.Nested(SpanSchema), required=True)
    quote_ids = fields.List(fields.String(), required=True)


class MetaSchema(Schema):
    model = fields.String(required=True, metadata={"description": "spaCy pipeline name and version"})
    version = fields.String(required=True, metadata={"description": "version of this service"})
    characters = fields.Integer(required=True, validate=validate.Range(min=0))
    elapsed_ms = fields.Float(required=True, validate=validate.Range(min=0))
    quotes_omitted = fields.Integer(
        required=True, validate=validate.Range(min=0),
        metadata={"description": "quotes found but left out of `quotes` because the article has more "
                                 "than `limits.max_quotes` (see `GET /v1/info`); `quotes` keeps the "
                                 "first ones in the article, `speakers` only those they cite"})


# The characters Python's str.isspace() calls whitespace, which is what "only whitespace" means
# here. Written out rather than as \s, whose meaning differs between regular expression dialects.
WHITESPACE = (r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a"
              r"\u2028\u2029\u202f\u205f\u3000")
NOT_ONLY_WHITESPACE = f"[^{WHITESPACE}]"


MISSING_ARTICLE = "Missing data for required field: send the article as `text`, or as `html`."


class QuoteRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"type": "The body must be a JSON object with a `text` or an `html` member."}

    text = fields.String(metadata={
        "description": "the article, plain text; at least one character that is not whitespace",
        "pattern": NOT_ONLY_WHITESPACE})
    html = fields.String(metadata={
        "description": "the article as HTML, instead of `text` (a CMS body as stored, or a whole page): "
                       "its text is read with tags removed, entities decoded, blocks and `<br>` as "
                       "paragraph and line breaks; scripts, styles, navigation, figures and captions, "
                       "asides, embedded media and posts, forms and hidden elements are left out. The "
                       "response then carries that `text`, and `html_start`, `html_end` on every record",
        "pattern": NOT_ONLY_WHITESPACE})
    id = fields.String(load_default=None, allow_none=True,
                       metadata={"description": "any identifier of the caller's; echoed in the response"})
    include = include_field()

    @validates("text")
    def _validate_text(self, value: str, **_kwargs) -> None:
        _require_article(value, "The text is empty or only whitespace.")

    @validates("html")
    def _validate_html(self, value: str, **_kwargs) -> None:
        _require_article(value, "The HTML is empty or only whitespace.")

    @validates("id")
    def _validate_id(self, value: str | None, **_kwargs) -> None:
        if value is not None:
            _require_unicode(value)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _validate_one_article(self, _data: dict, original: dict, **_kwargs) -> None:
        if not isinstance(original, dict):
            return
        if "text" in original and "html" in original:
            raise ValidationError("Send the article as `text` or as `html`, not both.")
        if "text" not in original and "html" not in original:
            raise ValidationError(MISSING_ARTICLE, "text")


def _require_article(value: str, empty: str) -> None:
    _require_unicode(value)
    if not value.strip():
        raise ValidationError(empty)


def _require_unicode(value: str) -> None:
    """JSON's \\u escapes can smuggle in unpaired surrogates, which no response could encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValidationError(f"Character {error.start} is an unpaired surrogate, not valid Unicode.") from None


def is_unicode(value: str) -> bool:
    """Whether ``value`` holds no unpaired surrogate, so that a response can carry it."""
    try:
        _require_unicode(value)
    except ValidationError:
        return False
    return True


class QuoteResponseSchema(Schema):
    id = fields.String(required=True, allow_none=True)
    text = fields.String(metadata={"description": "for an article sent as `html`: the text read from it, "
                                                  "which every `start` and `end` index"})
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)
    speakers = fields.List(fields.Nested(SpeakerSchema), required=True)
    meta = fields.Nested(MetaSchema, required=True)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


class _BatchArticle(fields.Raw):
    """An article of a batch: a ``QuoteRequest`` in the contract, but taken as sent (null too) and
    loaded on its own later, so that one that is not valid gets an error in its place instead of
    failing the whole batch."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        return value


class _CompareArticle(fields.Raw):
    """A version of the story, loaded with ``CompareArticleSchema``; a ``CompareArticle`` in the
    contract (which names the text and the HTML article apart)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _compare_article_schema().load(value)


class BatchRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"type": "The body must be a JSON object with an `articles` member."}

    articles = fields.List(
        _BatchArticle(metadata={"allOf": [_ref("QuoteRequest")]}), required=True,
        validate=validate.Length(min=1, error="The batch holds no article."),
        metadata={"description": "the articles, each as the body of `POST /v1/quotes`; one that is not "
                                 "valid gets an error in its place in `results`, the others are answered"})
    include = fields.List(fields.String(validate=validate.OneOf(INCLUDABLE)), load_default=list, metadata={
        "description": INCLUDE_DESCRIPTION + ", for every article (added to what an article asks for itself)"})


class IncludeQuerySchema(Schema):
    """The ``include`` query parameter, as one list whether repeated or comma-separated."""

    class Meta:
        unknown = RAISE

    include = include_field()


class ArticleErrorSchema(Schema):
    class Meta:
        description = "An article of a batch that could not be answered, in its place in `results`."

    id = fields.String(required=True, allow_none=True,
                       metadata={"description": "the article's `id` when it had a valid one"})
    error = fields.Nested("ProblemSchema", required=True)


class BatchMetaSchema(Schema):
    articles = fields.Integer(required=True, validate=validate.Range(min=1))
    errors = fields.Integer(required=True, validate=validate.Range(min=0),
                            metadata={"description": "articles answered with an error"})
    elapsed_ms = fields.Float(required=True, validate=validate.Range(min=0))


class BatchResponseSchema(Schema):
    results = fields.List(
        fields.Raw(metadata={"oneOf": [_ref("QuoteResponse"), _ref("ArticleError")]}), required=True,
        metadata={"description": "one entry per article, in the order sent: its quotes and speakers as "
                                 "`POST /v1/quotes` answers them, or an error"})
    meta = fields.Nested(BatchMetaSchema, required=True)


class CompareArticleSchema(QuoteRequestSchema):
    class Meta:
        unknown = RAISE
        exclude = ("include",)  # one `include` for the whole comparison

    error_messages = {"type": "Each article must be a JSON object with an `id` and a `text` or `html` member."}

    id = fields.String(required=True, validate=validate.Length(min=1), metadata={
        "description": "the article's identifier, unique in the request: alignments name articles by it"})


@functools.cache
def _compare_article_schema() -> CompareArticleSchema:
    return CompareArticleSchema()


class CompareRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"type": "The body must be a JSON object with an `articles` member."}

    articles = fields.List(
        _CompareArticle(metadata={"allOf": [_ref("CompareArticle")]}), required=True,
        validate=validate.Length(min=2, error="A comparison needs at least two articles."),
        metadata={"description": "versions of one story, each with its own `id`"})
    reference = fields.String(load_default=None, metadata={
        "description": "the `id` of the version the others are held to; by default the first article"})
    include = fields.List(fields.String(validate=validate.OneOf(INCLUDABLE)), load_default=list, metadata={
        "description": f"{INCLUDE_DESCRIPTION}, for every article. {COMPARE_INCLUDE_DESCRIPTION}"})

    @validates_schema
    def _validate_ids(self, data: dict, **_kwargs) -> None:
        ids = [article["id"] for article in data.get("articles", [])]
        repeated = sorted({article_id for article_id in ids if ids.count(article_id) > 1})
        if repeated:
            raise ValidationError(f"Article ids must be unique; repeated: {', '.join(repeated)[:200]}.", "articles")
        reference = data.get("reference")
        if reference is not None and reference not in ids:
            raise ValidationError("No article has this id.", "reference")


class QuoteRefSchema(Schema):
    article = fields.String(required=True, metadata={"description": "the `id` of the article"})
    id = fields.String(required=True, metadata={"description": "the quote's `id` in that article's result"})


class DiffPieceSchema(Schema):
    class Meta:
        description = ("One step of the word-level difference between a reference quote and its counterpart: "
                       "the words as each version writes them (empty on the side that has none).")

    op = fields.String(required=True, validate=validate.OneOf(get_args(DiffOp)))
    reference = fields.String(required=True)
    other = fields.String(required=True)


class CounterpartSchema(Schema):
    class Meta:
        description = "What became of a reference quote in one other article."

    article = fields.String(required=True, metadata={"description": "the other article's `id`"})
    id = fields.String(required=True, allow_none=True,
                       metadata={"description": "the counterpart quote's `id`; null when `missing`"})
    status = fields.String(required=True, validate=validate.OneOf(get_args(Status)), metadata={"description": (
            "`verbatim`: the same words (case, quotation marks, whitespace and punctuation at the ends aside); "
            "`reworded`: the same statement with words changed, added or dropped; `fragment`: one is a "
            "contiguous part of the other; `paraphrased`: the other reports it as reported speech; "
            "`missing`: no counterpart")})
    similarity = fields.Float(required=True, validate=validate.Range(min=0, max=1),
                              metadata={"description": "share of the words the two have in common, 0 to 1"})
    speakers_agree = fields.Boolean(required=True, allow_none=True, metadata={
        "description": "whether both give the quote to the same speaker (by canonical name); false with "
                       "the same words is a misattribution; null when either has no speaker"})
    diff = fields.List(fields.Nested(DiffPieceSchema), required=True,
                       metadata={"description": "word-level changes, in order; empty when `missing`"})


class AlignmentSchema(Schema):
    quote = fields.Nested(QuoteRefSchema, required=True, metadata={"description": "a quote of the reference"})
    counterparts = fields.List(fields.Nested(CounterpartSchema), required=True,
                               metadata={"description": "one per other article, in the order sent"})


class CompareMetaSchema(Schema):
    articles = fields.Integer(required=True, validate=validate.Range(min=2))
    elapsed_ms = fields.Float(required=True, validate=validate.Range(min=0))


class CompareResponseSchema(Schema):
    reference = fields.String(required=True, metadata={"description": "the `id` of the reference article"})
    articles = fields.List(fields.Nested(QuoteResponseSchema), required=True,
                           metadata={"description": "each article's quotes and speakers as `POST /v1/quotes` "
                                                    "answers them, in the order sent"})
    alignments = fields.List(fields.Nested(AlignmentSchema), required=True,
                             metadata={"description": "every quote of the reference, in order, once"})
    unmatched = fields.List(fields.Nested(QuoteRefSchema), required=True, metadata={
        "description": "quotes of the other articles that no reference quote claimed: quotes a version added"})
    meta = fields.Nested(CompareMetaSchema, required=True)


class ProblemSchema(Schema):
    class Meta:
        description = "An error, as RFC 9457 problem details (media type application/problem+json)."

    type = fields.String(required=True, metadata={"format": "uri-reference",
                                                  "description": "URI reference naming the problem type"})
    title = fields.String(required=True, metadata={"description": "short summary of the problem type"})
    status = fields.Integer(required=True, validate=validate.Range(min=400, max=599))
    detail = fields.String(required=True, metadata={"description": "what went wrong with this request"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "per-field messages when the request body failed validation "
                                 "(`_schema` for the body as a whole)"},
    )


class HealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ok"]))


class ReadySchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ready"]))
    model = fields.String(required=True, metadata={"description": "spaCy pipeline name and version"})


class ModelInfoSchema(Schema):
    name = fields.String(required=True, metadata={"description": "the spaCy pipeline configured"})
    version = fields.String(required=True, allow_none=True,
                            metadata={"description": "its version; null while it is not loaded"})
    loaded = fields.Boolean(required=True)


class LimitsSchema(Schema):
    max_body_bytes = fields.Integer(required=True, validate=validate.Range(min=1),
                                    metadata={"description": "larger request bodies get 413"})
    max_chars = fields.Integer(required=True, validate=validate.Range(min=1),
                               metadata={"description": "longer articles (in characters) get 413"})
    max_quotes = fields.Integer(required=True, validate=validate.Range(min=1),
                                metadata={"description": "most quotes returned for one article; "
                                                         "`meta.quotes_omitted` counts the rest"})
    max_batch = fields.Integer(required=True, validate=validate.Range(min=1),
                               metadata={"description": "most articles in one batch; more get 413"})
    max_batch_body_bytes = fields.Integer(required=True, validate=validate.Range(min=1),
                                          metadata={"description": "larger batch and compare request bodies get 413"})
    max_compare = fields.Integer(required=True, validate=validate.Range(min=2),
                                 metadata={"description": "most articles in one comparison; more get 413"})
    max_tokens = fields.Integer(required=True, validate=validate.Range(min=1), metadata={
        "description": "most tokens (words and punctuation marks) in one request, all its articles "
                       "together; more get 413"})
    max_quote_marks = fields.Integer(required=True, validate=validate.Range(min=1), metadata={
        "description": "most quotation marks opening or closing a quote in one request, all its "
                       "articles together; more get 413"})
    deadline_seconds = fields.Integer(required=True, validate=validate.Range(min=1), metadata={
        "description": "a request not answered within this many seconds gets 503 with `Retry-After`"})


class AuthInfoSchema(Schema):
    required = fields.Boolean(required=True, metadata={
        "description": "whether `/v1` routes need an API key (`Authorization: Bearer <key>` or `X-API-Key`)"})


class InfoSchema(Schema):
    name = fields.String(required=True)
    version = fields.String(required=True, metadata={"description": "version of this service"})
    model = fields.Nested(ModelInfoSchema, required=True)
    limits = fields.Nested(LimitsSchema, required=True)
    auth = fields.Nested(AuthInfoSchema, required=True)
    include = fields.List(fields.String(), required=True, metadata={
        "description": "what a request may add with `include`: `indirect`, reported speech"})


# One instance, reused: building a schema (and its nested ones) costs more than dumping with it.
_response_schema = QuoteResponseSchema()


def dump_response(result, request_id: str | None = None, max_quotes: int | None = None) -> dict:
    """The JSON body for one article's ``Result`` (``service.engine.result.Result``).

    With ``max_quotes``, only the first ``max_quotes`` quotes are returned, the speakers keep
    only the quotes returned (a speaker left with none is dropped), and ``meta.quotes_omitted``
    says how many were left out.
    """
    from ..version import __version__

    quotes, speakers = result.quotes, result.speakers
    omitted = 0
    if max_quotes is not None and len(quotes) > max_quotes:
        omitted = len(quotes) - max_quotes
        quotes = quotes[:max_quotes]
        kept = {quote.id for quote in quotes}
        speakers = [dataclasses.replace(speaker, quote_ids=[qid for qid in speaker.quote_ids if qid in kept])
                    for speaker in speakers]
        speakers = [speaker for speaker in speakers if speaker.quote_ids]
    body = {
        "id": request_id,
        **({"text": result.text} if result.text is not None else {}),
        "quotes": quotes,
        "speakers": speakers,
        "meta": {"model": result.model, "version": __version__,
                 "characters": result.characters, "elapsed_ms": result.elapsed_ms,
                 "quotes_omitted": omitted},
    }
    return _response_schema.dump(body)


_compare_response_schema = CompareResponseSchema()


def dump_comparison(comparison, articles: list[tuple[str, object]], elapsed_ms: float,
                    max_quotes: int | None = None) -> dict:
    """The JSON body for a ``service.engine.compare.Comparison`` of ``articles``, (id, ``Result``) pairs
    in order, each answered as ``dump_response`` answers it."""
    bodies = [dump_response(result, article_id, max_quotes=max_quotes) for article_id, result in articles]
    return _compare_response_schema.dump({
        "reference": comparison.reference, "articles": bodies, "alignments": comparison.alignments,
        "unmatched": comparison.unmatched, "meta": {"articles": len(bodies), "elapsed_ms": elapsed_ms}})
