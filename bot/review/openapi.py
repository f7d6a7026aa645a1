"""The reviewer API's OpenAPI 3.1 document, served at /review/api/v1/openapi.json.

Written here as data and kept true by schemathesis against the live server
(tests/review/test_openapi.py): every status, header and body the server
sends must be the one documented.
"""

from __future__ import annotations

from functools import cache

__all__ = ["document"]

Schema = dict[str, object]

_STR: Schema = {"type": "string"}
_NSTR: Schema = {"type": ["string", "null"]}
_TIME: Schema = {"type": "string", "format": "date-time"}
_NTIME: Schema = {"type": ["string", "null"], "format": "date-time"}
_B64: Schema = {
    "type": "string",
    "contentEncoding": "base64",
    "pattern": "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
}
_KEY_ID: Schema = {"type": "string", "pattern": "^[0-9a-f]{16}$"}


def _object(properties: dict[str, object], required: list[str] | None = None) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS: dict[str, Schema] = {
    "Error": _object({"error": _STR}),
    "Report": _object(
        {
            "reference": _STR,
            "priority": {"type": "integer", "enum": [0, 1]},
            "sealed_at": _TIME,
            "claim": {"type": "string", "enum": ["queued", "claimed", "done"]},
            "claimed_by": _NSTR,
            "lease_until": _NTIME,
            "status": {
                "type": "string",
                "enum": ["received", "acknowledged", "in_review", "referred", "closed"],
            },
            "referred_to": _NSTR,
            "outcome": _NSTR,
            "held": {"type": "boolean"},
            "evidence_count": {"type": ["integer", "null"]},
            "acknowledged_at": _NTIME,
            "closed_at": _NTIME,
            "acknowledge_by": _TIME,
            "feedback_by": _NTIME,
            "unanswered": {"type": "boolean"},
        }
    ),
    "Note": _object({"id": {"type": "integer"}, "author": _STR, "at": _TIME, "envelope": _B64}),
    "Message": _object(
        {
            "id": {"type": "integer"},
            "direction": {"type": "string", "enum": ["to_reporter", "from_reporter"]},
            "author": _NSTR,
            "created_at": _TIME,
            "read_at": _NTIME,
            "envelope": _B64,
        }
    ),
    "Thread": _object(
        {
            "reference": _STR,
            "reporter_key": {"type": ["string", "null"], "contentEncoding": "base64"},
            "unanswered": {"type": "boolean"},
            "messages": {"type": "array", "items": _ref("Message")},
        }
    ),
    "AuditEntry": _object(
        {
            "seq": {"type": "integer", "minimum": 1},
            "at": _TIME,
            "event": _STR,
            "reference": _NSTR,
            "actor": _NSTR,
            "prev": _B64,
            "hash": _B64,
            "scheme": {"type": "string", "enum": ["sha256-v1", "hmac-v1"]},
        }
    ),
    "CaseState": _object(
        {
            "reference": _STR,
            "claim": _STR,
            "claimed_by": _NSTR,
            "status": _STR,
            "referred_to": _NSTR,
            "outcome": _NSTR,
            "held": {"type": "boolean"},
        }
    ),
    "Reviewer": _object({"key_id": _KEY_ID, "label": _STR, "ml_kem_768": _B64, "x25519": _B64}),
}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERR = _ref("Error")
_ERRORS: dict[str, Schema] = {
    "400": _json(_ERR, "malformed request"),
    "401": _json(_ERR, "no valid token"),
    "404": _json(_ERR, "no such report sealed to this key"),
    "409": _json(_ERR, "not allowed in the report's state (claimed by another, not claimed …)"),
    "503": _json(_ERR, "the store failed"),
}
_REPORT = _json(_object({"report": _ref("Report")}), "the report's metadata")
_REFERENCE: Schema = {
    "name": "reference",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,40}$"},
}
_PAGE: list[Schema] = [
    {"name": "after", "in": "query", "schema": {"type": "string", "maxLength": 40}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
]
_THROTTLED: Schema = {
    "description": "too many tries; wait",
    "headers": {"Retry-After": {"schema": {"type": "string"}}},
    "content": {"application/json": {"schema": _ERR}},
}


def _operation(
    summary: str,
    responses: dict[str, Schema],
    *,
    body: Schema | None = None,
    parameters: list[Schema] | None = None,
    secured: bool = True,
) -> Schema:
    operation: Schema = {
        "summary": summary,
        "responses": responses | {k: v for k, v in _ERRORS.items() if k not in responses},
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    if parameters:
        operation["parameters"] = parameters
    if not secured:
        operation["security"] = []
    return operation


@cache
def document() -> Schema:
    envelope = _json(
        _object({"report": _ref("Report"), "envelope": _B64}), "the report and its sealed envelope"
    )
    claimed = _json(
        _object(
            {
                "report": {"oneOf": [_ref("Report"), {"type": "null"}]},
                "envelope": {"oneOf": [_B64, {"type": "null"}]},
            }
        ),
        "the claimed report (null when none waits)",
    )
    status_body = _object(
        {
            "status": SCHEMAS["Report"]["properties"]["status"],  # type: ignore[index]
            "detail": {"type": ["string", "null"]},
        },
        ["status"],
    )
    paths: Schema = {
        "/openapi.json": {
            "get": _operation("this document", {"200": _json({}, "OpenAPI 3.1")}, secured=False)
        },
        "/login/challenge": {
            "post": _operation(
                "a login challenge to sign",
                {
                    "200": _json(
                        _object({"challenge": _B64, "expires_at": _TIME}), "the challenge"
                    ),
                    "429": _THROTTLED,
                },
                body=_object({"key_id": _KEY_ID}),
                secured=False,
            )
        },
        "/login": {
            "post": _operation(
                "a token for a signed challenge and a TOTP code",
                {
                    "200": _json(
                        _object({"token": _STR, "key_id": _KEY_ID, "expires_at": _TIME}), "8 hours"
                    ),
                    "429": _THROTTLED,
                },
                body=_object(
                    {
                        "key_id": _KEY_ID,
                        "challenge": _B64,
                        "signature": _B64,
                        "totp": {"type": "string", "pattern": "^[0-9]{6,8}$"},
                    }
                ),
                secured=False,
            )
        },
        "/logout": {"post": _operation("end this token", {"204": {"description": "ended"}})},
        "/queue": {
            "get": _operation(
                "open reports sealed to this key, urgent first, then oldest"
                " (all=true: every report sealed to it, by reference)",
                {
                    "200": _json(
                        _object({"reports": {"type": "array", "items": _ref("Report")}}), "a page"
                    )
                },
                parameters=[
                    *_PAGE,
                    {
                        "name": "all",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["true", "false"]},
                    },
                ],
            )
        },
        "/claim": {"post": _operation("claim the next report, with a lease", {"200": claimed})},
        "/reports/{reference}": {
            "get": _operation(
                "the report and its sealed envelope", {"200": envelope}, parameters=[_REFERENCE]
            ),
            "delete": _operation(
                "delete a closed report without a hold now",
                {"204": {"description": "deleted"}},
                parameters=[_REFERENCE],
            ),
        },
        "/reports/{reference}/done": {
            "post": _operation(
                "done with a claimed report", {"200": _REPORT}, parameters=[_REFERENCE]
            )
        },
        "/reports/{reference}/release": {
            "post": _operation("back to the queue", {"200": _REPORT}, parameters=[_REFERENCE])
        },
        "/reports/{reference}/status": {
            "post": _operation(
                "change the case status (referred: psd/iopc/other; closed: an outcome)",
                {"200": _REPORT},
                body=status_body,
                parameters=[_REFERENCE],
            )
        },
        "/reports/{reference}/hold": {
            "post": _operation(
                "place or lift a retention hold",
                {"200": _REPORT},
                body=_object({"held": {"type": "boolean"}}),
                parameters=[_REFERENCE],
            )
        },
        "/reports/{reference}/notes": {
            "get": _operation(
                "the sealed notes",
                {
                    "200": _json(
                        _object({"notes": {"type": "array", "items": _ref("Note")}}), "notes"
                    )
                },
                parameters=[_REFERENCE],
            ),
            "post": _operation(
                "add a note sealed on the workstation to every reviewer key",
                {"201": _json(_ref("Note"), "kept")},
                body=_object({"envelope": _B64}),
                parameters=[_REFERENCE],
            ),
        },
        "/reports/{reference}/thread": {
            "get": _operation(
                "the case's thread: the reporter's public key and every sealed message",
                {"200": _json(_ref("Thread"), "the thread")},
                parameters=[_REFERENCE],
            ),
            "post": _operation(
                "send the reporter a message, sealed on the workstation to the reporter's key "
                "and every reviewer key",
                {"201": _json(_ref("Message"), "kept")},
                body=_object({"envelope": _B64}),
                parameters=[_REFERENCE],
            ),
        },
        "/reviewers": {
            "get": _operation(
                "the keys a note is sealed to",
                {
                    "200": _json(
                        _object({"reviewers": {"type": "array", "items": _ref("Reviewer")}}), "keys"
                    )
                },
            )
        },
        "/audit": {
            "get": _operation(
                "audit entries after a seq",
                {
                    "200": _json(
                        _object({"entries": {"type": "array", "items": _ref("AuditEntry")}}),
                        "entries",
                    )
                },
                parameters=[
                    {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 5000},
                    },
                ],
            )
        },
        "/audit/head": {
            "get": _operation(
                "the newest entry's seq and hash (keep it: a cut log is caught against it)",
                {
                    "200": _json(
                        _object(
                            {
                                "seq": {"type": ["integer", "null"]},
                                "hash": {"oneOf": [_B64, {"type": "null"}]},
                            }
                        ),
                        "the head",
                    )
                },
            )
        },
        "/audit/reports": {
            "get": _operation(
                "every report's state, by reference, to compare with the audit log",
                {
                    "200": _json(
                        _object({"reports": {"type": "array", "items": _ref("CaseState")}}),
                        "a page",
                    )
                },
                parameters=_PAGE,
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tipline reviewer API", "version": "1"},
        "servers": [{"url": "/review/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
