"""Checks agentsched's OpenAPI document and the answers a test recorded against it.

Usage: check_answers.py OPENAPI.json RECORDS.json

The document must be valid OpenAPI 3.1 (openapi-spec-validator). Each record is
{"method", "path", "status", "content_type", "body", "request_body"}: its path must match a
documented path, its status a documented response, its content type one of that response's,
and a JSON body that response's schema; a request body sent as valid must fit the operation's
request schema. Every documented operation must have been exercised. Prints each problem and
exits 1 when there is one.
"""
import json
import re
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def pointer(*parts):
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def main():
    doc = json.load(open(sys.argv[1]))
    records = json.load(open(sys.argv[2]))
    validate(doc)
    registry = Registry().with_resource("urn:openapi", Resource(contents=doc, specification=DRAFT202012))

    def check(instance, *parts):
        validator = Draft202012Validator({"$ref": "urn:openapi" + pointer(*parts)}, registry=registry)
        return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(instance)]

    templates = []
    for template in doc["paths"]:
        pieces = re.split(r"\{[^}]+\}", template)
        regex = "^" + "[^/]+".join(re.escape(piece) for piece in pieces) + "$"
        templates.append((re.compile(regex), template))
    problems = []
    seen = set()
    for record in records:
        where = f"{record['method'].upper()} {record['path']} -> {record['status']}"
        path = record["path"].split("?")[0]
        matches = [t for regex, t in templates if regex.match(path)]
        if not matches:
            problems.append(f"{where}: no documented path")
            continue
        template = matches[0]
        method = record["method"].lower()
        operation = doc["paths"][template].get(method)
        if operation is None:
            problems.append(f"{where}: {method} is not documented on {template}")
            continue
        seen.add((template, method))
        status = str(record["status"])
        response = operation["responses"].get(status)
        if response is None:
            problems.append(f"{where}: status {status} is not documented")
            continue
        where_response = ["paths", template, method, "responses", status]
        if "$ref" in response:
            # A shared response (components/responses/NAME): its schema is checked where it is.
            name = response["$ref"].split("/")[-1]
            response = doc["components"]["responses"][name]
            where_response = ["components", "responses", name]
        content = response.get("content", {})
        media = (record.get("content_type") or "").split(";")[0].strip()
        if content and media not in content:
            problems.append(f"{where}: content type {media!r} is not one of {sorted(content)}")
            continue
        if media == "application/json":
            try:
                body = json.loads(record["body"])
            except ValueError:
                problems.append(f"{where}: the body is not JSON")
                continue
            for error in check(body, *where_response, "content", media, "schema"):
                problems.append(f"{where}: {error}")
        if record.get("request_body") is not None and record.get("valid_request"):
            body = json.loads(record["request_body"])
            for error in check(body, "paths", template, method, "requestBody", "content", "application/json", "schema"):
                problems.append(f"{where}: request: {error}")
    for template, operations in doc["paths"].items():
        for method in operations:
            if (template, method) not in seen:
                problems.append(f"{method.upper()} {template}: never exercised")
    for problem in problems:
        print(problem)
    print(f"{len(records)} answers checked, {len(problems)} problems")
    sys.exit(1 if problems else 0)


main()
