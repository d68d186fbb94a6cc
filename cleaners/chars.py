"""Character classes that several stages share, defined once."""

import re

# CJK ideographs: Extension A, the unified block and the compatibility ideographs.
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
