"""marshmallow schemas: every request and response shape, and the source of openapi.yaml's components."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate, validates, ValidationError


class SpanSchema(Schema):
    class Meta:
        description = ("A stretch of the article. Offsets count Unicode code points from the start of "
                       "the article, end exclusive: `article[start:end] == text`.")

    text = fields.String(required=True, metadata={"description": "article[start:end]"})
    start = fields.Integer(required=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, validate=validate.Range(min=0))


class QuoteSpeakerSchema(Schema):
    id = fields.String(required=True, metadata={"description": "id of the entry in `speakers`"})
    name = fields.String(required=True, metadata={"description": "canonical name of the speaker"})
    mention = fields.Nested(SpanSchema, required=True,
                            metadata={"description": "the mention this attribution rests on"})


class QuoteSchema(Schema):
    id = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "the quoted words, marks excluded"})
    start = fields.Integer(required=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, validate=validate.Range(min=0))
    type = fields.String(required=True, validate=validate.OneOf(["direct", "partial"]))
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
                         validate=validate.OneOf(["person", "organization", "anonymous", "unknown"]))
    mentions = fields.List(fields.Nested(SpanSchema), required=True)
    quote_ids = fields.List(fields.String(), required=True)


class MetaSchema(Schema):
    model = fields.String(required=True, metadata={"description": "spaCy pipeline name and version"})
    version = fields.String(required=True, metadata={"description": "version of this service"})
    characters = fields.Integer(required=True, validate=validate.Range(min=0))
    elapsed_ms = fields.Float(required=True, validate=validate.Range(min=0))


class QuoteRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"type": "The body must be a JSON object with a `text` member."}

    text = fields.String(required=True, metadata={"description": "the article, plain text"})
    id = fields.String(load_default=None, allow_none=True,
                       metadata={"description": "any identifier of the caller's; echoed in the response"})

    @validates("text")
    def _validate_text(self, value: str, **_kwargs) -> None:
        _require_unicode(value)
        if not value.strip():
            raise ValidationError("The text is empty or only whitespace.")

    @validates("id")
    def _validate_id(self, value: str | None, **_kwargs) -> None:
        if value is not None:
            _require_unicode(value)


def _require_unicode(value: str) -> None:
    """JSON's \\u escapes can smuggle in unpaired surrogates, which no response could encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValidationError(f"Character {error.start} is an unpaired surrogate, not valid Unicode.") from None


class QuoteResponseSchema(Schema):
    id = fields.String(required=True, allow_none=True)
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)
    speakers = fields.List(fields.Nested(SpeakerSchema), required=True)
    meta = fields.Nested(MetaSchema, required=True)


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


class InfoSchema(Schema):
    name = fields.String(required=True)
    version = fields.String(required=True, metadata={"description": "version of this service"})
    model = fields.Nested(ModelInfoSchema, required=True)
    limits = fields.Nested(LimitsSchema, required=True)


def dump_response(result, request_id: str | None = None) -> dict:
    """The JSON body for one article's ``Result`` (``service.engine.model.Result``)."""
    from . import __version__

    body = {
        "id": request_id,
        "quotes": result.quotes,
        "speakers": result.speakers,
        "meta": {"model": result.model, "version": __version__,
                 "characters": result.characters, "elapsed_ms": result.elapsed_ms},
    }
    return QuoteResponseSchema().dump(body)
