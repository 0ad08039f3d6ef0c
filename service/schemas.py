"""marshmallow schemas: every request and response shape, and the source of openapi.yaml's components."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate, validates, ValidationError


class SpanSchema(Schema):
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

    text = fields.String(required=True, metadata={"description": "the article, plain text"})
    id = fields.String(load_default=None, allow_none=True,
                       metadata={"description": "any identifier of the caller's; echoed in the response"})

    @validates("text")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ValidationError("text is empty.")


class QuoteResponseSchema(Schema):
    id = fields.String(required=True, allow_none=True)
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)
    speakers = fields.List(fields.Nested(SpeakerSchema), required=True)
    meta = fields.Nested(MetaSchema, required=True)


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
