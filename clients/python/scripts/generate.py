#!/usr/bin/env python3
"""Writes modelwatch/_generated.py from the repository's openapi.json: one dataclass per schema, one enum per named
enum, and one method per operation on _Operations. Standard library only, so it runs anywhere python3 does (no
PyPI here, which is why openapi-python-client is not used: see README.md). CI runs it and fails when the committed
output differs.

    python3 clients/python/scripts/generate.py [--check]
"""
import json
import keyword
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "openapi.json"
OUT = Path(__file__).resolve().parents[1] / "modelwatch" / "_generated.py"


SYMBOL_NAMES = {"=": "EQ", "!": "NOT", "~": "RE", "<": "LT", ">": "GT", "*": "STAR", "+": "PLUS", "-": "MINUS"}


def snake(name):
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name).lower().strip("_")
    return name + "_" if keyword.iskeyword(name) or name in ("self", "body") else name


def ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def enum_member(value):
    text = str(value)
    if not re.search(r"[0-9A-Za-z]", text):
        # operators such as "=", "!=", "=~", "!~" (silence matchers): spell the symbols, so members stay distinct
        text = "_".join(SYMBOL_NAMES.get(char, "X") for char in text)
    member = re.sub(r"[^0-9A-Za-z]+", "_", text).upper().strip("_")
    return "V_" + member if not member or member[0].isdigit() else member


def py_type(schema, schemas):
    """The annotation for a schema (without Optional)."""
    if "$ref" in schema:
        return ref_name(schema["$ref"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return py_type(schema["allOf"][0], schemas)
    if "anyOf" in schema or "oneOf" in schema:
        # `anyOf: [{$ref}, {enum: [null]}]` is how the spec writes a nullable reference: the null member is Optional
        options = [option for option in (schema.get("anyOf") or schema.get("oneOf")) if not is_null_schema(option)]
        kinds = sorted({py_type(option, schemas) for option in options})
        return "Union[%s]" % ", ".join(kinds) if len(kinds) > 1 else kinds[0]
    kind = schema.get("type")
    if kind == "array":
        return "List[%s]" % py_type(schema.get("items", {}), schemas)
    if kind == "object":
        extra = schema.get("additionalProperties")
        value = py_type(extra, schemas) if isinstance(extra, dict) and extra else "Any"
        return "Dict[str, %s]" % value
    if kind == "string":
        if "enum" in schema:
            return "str"
        return "datetime" if schema.get("format") == "date-time" else "str"
    return {"integer": "int", "number": "float", "boolean": "bool"}.get(kind, "Any")


def is_null_schema(schema):
    return schema.get("enum") == [None]


def nullable(schema):
    options = schema.get("anyOf") or schema.get("oneOf") or []
    return bool(schema.get("nullable")) or any(is_null_schema(option) for option in options)


def emit_enum(name, schema, out):
    out.append("class %s(str, Enum):" % name)
    if schema.get("description"):
        out.append('    """%s"""' % schema["description"].replace('"""', "'''"))
    for value in schema["enum"]:
        out.append("    %s = %r" % (enum_member(value), value))
    out.append("")
    out.append("")


def emit_dataclass(name, schema, schemas, out):
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    out.append("@dataclass")
    out.append("class %s(Model):" % name)
    out.append('    """%s"""' % (schema.get("description") or name).replace('"""', "'''").replace("\\", "\\\\"))
    ordered = [p for p in properties if p in required] + [p for p in properties if p not in required]
    if not ordered:
        out.append("    pass")
    for prop in ordered:
        prop_schema = properties[prop]
        annotation = py_type(prop_schema, schemas)
        if nullable(prop_schema) or prop not in required:
            annotation = "Optional[%s]" % annotation
        default = "" if prop in required else " = UNSET"
        out.append('    %s: %s = _field(%smetadata={"json": %r})' % (snake(prop), annotation, "default=UNSET, " if default else "", prop))
    out.append("")
    out.append("")


def emit_operation(path, method, operation, schemas, out):
    name = snake(operation["operationId"])
    params = operation.get("parameters", [])
    path_params = [p for p in params if p["in"] == "path"]
    query_params = [p for p in params if p["in"] == "query"]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    success = [code for code in operation["responses"] if code.startswith("2")]
    response_schema = None
    for code in success:
        content = operation["responses"][code].get("content", {})
        if "application/json" in content:
            response_schema = content["application/json"].get("schema")
            break
    returns = py_type(response_schema, schemas) if response_schema else "None"
    args = ["self"] + ["%s: str" % snake(p["name"]) for p in path_params]
    if body is not None:
        body_type = py_type(body, schemas)
        required_body = operation["requestBody"].get("required", False)
        args.append("body: Union[%s, Dict[str, Any]]%s" % (body_type, "" if required_body else " = None"))
    keyword_args = []
    for param in query_params:
        annotation = py_type(param.get("schema", {}), schemas)
        if param.get("schema", {}).get("$ref") or annotation == "datetime":
            annotation = "Union[%s, str]" % annotation
        keyword_args.append(
            "%s: %s%s" % (snake(param["name"]), annotation if param.get("required") else "Optional[%s]" % annotation, "" if param.get("required") else " = None")
        )
    if keyword_args:
        args.append("*")
        args.extend(keyword_args)
    out.append("    def %s(%s) -> %s:" % (name, ", ".join(args), returns if returns != "None" else "None"))
    doc = operation.get("summary") or operation["operationId"]
    out.append('        """%s (%s %s)"""' % (doc.replace('"""', "'''").replace("\\", "\\\\"), method.upper(), path))
    url = path
    for param in path_params:
        url = url.replace("{%s}" % param["name"], "{%s}" % snake(param["name"]))
    path_args = ", ".join("%s=%s" % (snake(p["name"]), snake(p["name"])) for p in path_params)
    query = "{%s}" % ", ".join("%r: %s" % (p["name"], snake(p["name"])) for p in query_params)
    call = "self._call(%r, %r, {%s}, %s, %s, %s)" % (
        method.upper(),
        url,
        ", ".join("%r: %s" % (snake(p["name"]), snake(p["name"])) for p in path_params),
        query,
        "body" if body is not None else "None",
        returns if returns != "None" else "None",
    )
    del path_args
    out.append("        return %s" % call if returns != "None" else "        %s" % call)
    out.append("")


def generate():
    spec = json.loads(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    out = [
        "# Generated by clients/python/scripts/generate.py from openapi.json: do not edit (CI fails when it is stale).",
        "# flake8: noqa",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass, field as _field",
        "from datetime import datetime",
        "from enum import Enum",
        "from typing import Any, Dict, List, Optional, Union",
        "",
        "from modelwatch._model import UNSET, Model",
        "",
        "",
    ]
    names = sorted(schemas)
    for name in names:
        if "enum" in schemas[name]:
            emit_enum(name, schemas[name], out)
    for name in names:
        if "enum" not in schemas[name]:
            emit_dataclass(name, schemas[name], schemas, out)
    out.append("class _Operations:")
    out.append('    """One method per operation of the API, named after its operationId in snake_case."""')
    out.append("")
    out.append("    def _call(self, method: str, path: str, path_params: Dict[str, str], query: Dict[str, Any], body: Any, response: Any) -> Any:")
    out.append("        raise NotImplementedError")
    out.append("")
    operations = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            operations.append((operation["operationId"], path, method, operation))
    for _, path, method, operation in sorted(operations):
        emit_operation(path, method, operation, schemas, out)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    text = generate()
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit("clients/python/modelwatch/_generated.py is stale: run python3 clients/python/scripts/generate.py")
        print("clients/python/modelwatch/_generated.py is current")
    else:
        OUT.write_text(text)
        print("wrote %s" % OUT)
