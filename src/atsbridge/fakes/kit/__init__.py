"""The fake engine: a vendor fake is a :class:`~atsbridge.fakes.kit.spec.FakeSpec` (error shape, pager,
endpoints, control hooks) over a :class:`~atsbridge.fakes.kit.state.FakeBase` state (auth scheme, rate-limit
policy, faults, request log), served by :func:`~atsbridge.fakes.kit.server.build_app` with the control API
mounted. See docs/fakes.md. Nothing here imports connector code: a fake must not share the declaration it
tests.
"""

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.faults import Fault, FaultBox
from atsbridge.fakes.kit.forms import Part, form_parts
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks, reply
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["Call", "Change", "Endpoint", "FakeBase", "FakeSpec", "Fault", "FaultBox", "Hooks", "Part", "VendorError",
           "build_app", "form_parts", "reply"]  # fmt: skip
