"""The client is in step with openapi.json: a method per operationId, a field per schema property, a member per enum
value, and _generated.py exactly what scripts/generate.py writes today. Needs no service."""
import dataclasses
import importlib.util
import inspect
import json
import unittest
from pathlib import Path

import modelwatch
from modelwatch import Client, Model

ROOT = Path(__file__).resolve().parents[3]
SPEC = json.loads((ROOT / "openapi.json").read_text())
HERE = Path(__file__).resolve().parents[1]


def load_generator():
    spec = importlib.util.spec_from_file_location("generate", HERE / "scripts" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class SpecSyncTest(unittest.TestCase):
    def setUp(self):
        self.generator = load_generator()

    def test_every_operation_has_a_method_with_its_path_parameters(self):
        operations = [(path, method, op) for path, methods in SPEC["paths"].items() for method, op in methods.items()]
        self.assertGreater(len(operations), 50)
        for path, method, operation in operations:
            name = self.generator.snake(operation["operationId"])
            with self.subTest(operation=operation["operationId"]):
                self.assertTrue(callable(getattr(Client, name, None)), "Client.%s missing" % name)
                parameters = inspect.signature(getattr(Client, name)).parameters
                for parameter in operation.get("parameters", []):
                    self.assertIn(self.generator.snake(parameter["name"]), parameters)
                self.assertIn("%s %s" % (method.upper(), path), getattr(Client, name).__doc__)

    def test_every_schema_property_is_a_dataclass_field(self):
        schemas = SPEC["components"]["schemas"]
        self.assertGreater(len(schemas), 100)
        for name, schema in schemas.items():
            with self.subTest(schema=name):
                cls = getattr(modelwatch, name)
                if "enum" in schema:
                    self.assertEqual(sorted(member.value for member in cls), sorted(schema["enum"]))
                    continue
                self.assertTrue(issubclass(cls, Model) and dataclasses.is_dataclass(cls))
                json_names = {item.metadata["json"] for item in dataclasses.fields(cls)}
                self.assertEqual(json_names, set(schema.get("properties", {})))
                required = {item.metadata["json"] for item in dataclasses.fields(cls) if item.default is dataclasses.MISSING}
                self.assertEqual(required, set(schema.get("required", [])))

    def test_generated_module_is_current(self):
        current = (HERE / "modelwatch" / "_generated.py").read_text()
        self.assertEqual(current, self.generator.generate(), "run python3 clients/python/scripts/generate.py")


if __name__ == "__main__":
    unittest.main()
