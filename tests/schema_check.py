#!/usr/bin/env python3
# tests/schema_check.py SCHEMA FILE... - validates JSON (or YAML) files
# against a JSON Schema: prints "valid" or "invalid: why", prefixed by the
# file name when several files are given. The judge is the independent
# draft-07 validator of python3-jsonschema (Debian's package, installed by
# scripts/setup.sh --tests; the schema itself is checked first); without it,
# a small draft-07 subset validator below, said so on stderr.
# A draft-07 subset validator: type, const, enum, properties, required,
# additionalProperties, items, minimum, maximum, minProperties, anyOf,
# pattern, propertyNames, uniqueItems, $ref to #/definitions.
import json, re, sys
def check(schema, inst, root, path="$"):
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node = root
        for part in ref[2:].split("/"):
            node = node[part]
        yield from check(node, inst, root, path)
    t = schema.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        def is_type(x, ty):
            return {"object": isinstance(x, dict), "array": isinstance(x, list),
                    "string": isinstance(x, str), "boolean": isinstance(x, bool),
                    "null": x is None,
                    "integer": isinstance(x, int) and not isinstance(x, bool),
                    "number": isinstance(x, (int, float)) and not isinstance(x, bool)}[ty]
        if not any(is_type(inst, ty) for ty in types):
            yield "%s: expected %s" % (path, t); return
    if "const" in schema and inst != schema["const"]:
        yield "%s: expected %r" % (path, schema["const"])
    if "enum" in schema and inst not in schema["enum"]:
        yield "%s: %r not in %r" % (path, inst, schema["enum"])
    if "anyOf" in schema and not any(not list(check(s, inst, root, path)) for s in schema["anyOf"]):
        yield "%s: matches none of anyOf" % path
    if isinstance(inst, str) and "pattern" in schema and not re.search(schema["pattern"], inst):
        yield "%s: %r does not match %s" % (path, inst, schema["pattern"])
    if isinstance(inst, (int, float)) and not isinstance(inst, bool):
        if "minimum" in schema and inst < schema["minimum"]: yield "%s: below minimum" % path
        if "maximum" in schema and inst > schema["maximum"]: yield "%s: above maximum" % path
    if isinstance(inst, dict):
        for k in schema.get("required", []):
            if k not in inst: yield "%s: missing %s" % (path, k)
        if len(inst) < schema.get("minProperties", 0): yield "%s: too few properties" % path
        props = schema.get("properties", {})
        for k, v in inst.items():
            if "propertyNames" in schema:
                yield from check(schema["propertyNames"], k, root, path + "." + k + "(name)")
            if k in props:
                yield from check(props[k], v, root, path + "." + k)
            else:
                ap = schema.get("additionalProperties", True)
                if ap is False: yield "%s: unexpected property %s" % (path, k)
                elif isinstance(ap, dict): yield from check(ap, v, root, path + "." + k)
    if isinstance(inst, list):
        if schema.get("uniqueItems") and len(set(map(json.dumps, inst))) != len(inst):
            yield "%s: items not unique" % path
        if "items" in schema:
            for i, x in enumerate(inst):
                yield from check(schema["items"], x, root, "%s[%d]" % (path, i))
def load(path):
    if path.endswith((".yml", ".yaml")):
        import yaml
        return yaml.safe_load(open(path))
    return json.load(open(path))
def errors(schema, inst):
    if jsonschema is None:
        return list(check(schema, inst, schema))
    v = jsonschema.Draft7Validator(schema)
    return ["$%s: %s" % ("".join("[%r]" % p for p in e.absolute_path), e.message[:300])
            for e in sorted(v.iter_errors(inst), key=lambda e: list(map(str, e.absolute_path)))]
try:
    import jsonschema
except ImportError:
    jsonschema = None
if __name__ == "__main__":
    schema = json.load(open(sys.argv[1]))
    if jsonschema is None:
        sys.stderr.write("schema_check: python3-jsonschema missing; using the subset validator\n")
    else:
        jsonschema.Draft7Validator.check_schema(schema)
    for f in sys.argv[2:]:
        errs = errors(schema, load(f))
        verdict = "valid" if not errs else "invalid: " + errs[0]
        print(verdict if len(sys.argv) == 3 else f + " " + verdict)
